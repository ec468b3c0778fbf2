"""GPU proof: exercises 05 and 08 graded with CUDA cases against the CPU-only verdicts.

Grades the reference solutions and typical mistakes of 05_torch_gradients and 08_backprop
twice, once on the CPU alone and once with the CUDA cases added, and prints one table row
per submission. Exit status: 0 when the verdicts agree (or differ only where a mistake can
only show on the GPU), 1 on any other disagreement, 0 with a clear "no CUDA" line when this
machine has no CUDA device (3 then with --require-cuda). Usage:
python benchmarks/gpu_check.py [--require-cuda]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader.course import find_exercise  # noqa: E402
from grader.engine import Settings, cuda_available, grade  # noqa: E402

SOLUTION_05 = (ROOT / "solutions" / "05_torch_gradients.py").read_text(encoding="utf-8")
SOLUTION_08 = (ROOT / "solutions" / "08_backprop.py").read_text(encoding="utf-8")

# (exercise, label, source, whether the mistake shows only on the GPU)
SUBMISSIONS: list[tuple[str, str, str, bool]] = [
    ("05", "solution", SOLUTION_05, False),
    ("05", "sign flipped", SOLUTION_05.replace("err = y_pred - y", "err = y - y_pred"), False),
    ("05", "mean instead of sum",
     SOLUTION_05.replace("dw1 = x.T @ err", "dw1 = x.T @ err / x.shape[0]"), False),
    ("05", "new tensor on the CPU",
     SOLUTION_05.replace("dw0 = err.sum().reshape(w0.shape)",
                         "dw0 = torch.tensor([[float(err.sum())]], dtype=err.dtype)"), True),
    ("08", "solution", SOLUTION_08, False),
    ("08", "σ instead of σ′", SOLUTION_08.replace("d_Z = d_H * H * (1 - H)", "d_Z = d_H * H"),
     False),
    ("08", "missing 1/m", SOLUTION_08.replace("d_out = err / m", "d_out = err"), False),
    ("08", "transposed dW1", SOLUTION_08.replace("dW1 = X.T @ d_Z", "dW1 = d_Z.T @ X"), False),
    ("08", "float32 loss", SOLUTION_08.replace("return loss, dW1, dW2",
                                               "return loss.float(), dW1, dW2"), False),
    ("08", "loss moved to the CPU",
     SOLUTION_08.replace("return loss, dW1, dW2", "return loss.cpu(), dW1, dW2"), True),
]


def _verdict(folder: Path, exercise: str, cuda: bool) -> str:
    (result,) = grade(folder, name="gpu-check", exercises=[find_exercise(exercise)],
                      settings=Settings(cuda=cuda)).tests
    named = f" ({result.diagnosis.name})" if result.diagnosis else ""
    return f"{result.verdict.value}{named}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--require-cuda", action="store_true",
                        help="exit 3 instead of 0 when there is no CUDA device")
    args = parser.parse_args()
    cuda = cuda_available()
    if not cuda:
        print("no CUDA: torch sees no CUDA device on this machine, so there is no GPU verdict "
              "to compare; the CPU verdicts follow for reference.")
    disagreements = 0
    print(f"{'exercise':<9} {'submission':<24} {'CPU only':<40} {'with CUDA':<40} agree")
    with tempfile.TemporaryDirectory() as scratch:
        for index, (exercise, label, source, gpu_only) in enumerate(SUBMISSIONS):
            folder = Path(scratch) / f"s{index}" / "exercises"
            folder.mkdir(parents=True)
            (folder / find_exercise(exercise).filename).write_text(source, encoding="utf-8")
            on_cpu = _verdict(folder, exercise, cuda=False)
            on_gpu = _verdict(folder, exercise, cuda=True) if cuda else "—"
            if not cuda:
                agree = "n/a"
            elif gpu_only:
                agree = "yes (GPU-only mistake)" if on_gpu != on_cpu else "NO: missed on GPU"
            else:
                agree = "yes" if on_gpu == on_cpu else "NO"
            disagreements += agree.startswith("NO")
            print(f"{exercise:<9} {label:<24} {on_cpu:<40} {on_gpu:<40} {agree}")
    if not cuda:
        return 3 if args.require_cuda else 0
    print(f"{disagreements} disagreement(s) between the CPU and CUDA verdicts.")
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
