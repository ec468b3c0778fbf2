"""Save → verdict in the tutor with the portable runner (as on Windows and macOS), and Linux's."""

# Run: .venv/bin/python benchmarks/portable_latency.py [--saves 7] [--simulated] [--linux]
# Targets (issue 11): median ≤ 300 ms for a numeric exercise, ≤ 1 s for a symbolic one.
# --simulated also removes fork, setsid, /proc and prctl (tests/portable/sitecustomize.py);
# --linux prints the Linux mode's figures beside them, measured the same way.

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from tui_speed import _course, save_to_verdict  # noqa: E402

_EXERCISES = (("03_update_step", "numeric", 0.3), ("01_quadratic", "symbolic", 1.0))


def _measure(label: str, saves: int) -> None:
    for exercise_id, kind, target in _EXERCISES:
        with tempfile.TemporaryDirectory(prefix="descent bench ") as folder:  # a space, too
            latencies = asyncio.run(save_to_verdict(_course(Path(folder)), exercise_id, saves))
        median = statistics.median(latencies)
        print(f"{label}: save → verdict, {exercise_id} ({kind}): median {median * 1000:.0f} ms "
              f"over {len(latencies)} saves (each: "
              f"{', '.join(f'{t * 1000:.0f}' for t in latencies)} ms; target ≤ "
              f"{target * 1000:.0f} ms{'' if median <= target else ', MISSED'})", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--saves", type=int, default=7)
    parser.add_argument("--simulated", action="store_true",
                        help="run the grading service without fork, setsid, /proc and prctl")
    parser.add_argument("--linux", action="store_true",
                        help="also measure the Linux mode, for comparison")
    args = parser.parse_args()
    if args.linux:
        os.environ.pop("DESCENT_ISOLATION", None)
        _measure("linux mode", args.saves)
    if args.simulated:
        os.environ.pop("DESCENT_ISOLATION", None)
        os.environ["PYTHONPATH"] = str(REPO / "tests" / "portable")
        label = "portable mode (simulated Windows)"
    else:
        os.environ["DESCENT_ISOLATION"] = "portable"
        label = "portable mode (forced)"
    _measure(label, args.saves)
    return 0


if __name__ == "__main__":
    sys.exit(main())
