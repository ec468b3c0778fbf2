"""Printing too much is forgiven: output past the cap is dropped, the answers are still graded."""

from __future__ import annotations

import os
from pathlib import Path

from grader.model import Verdict
from grader.sandbox import OUTPUT_CAP, Limits, Sandbox
from tests.conftest import SOLUTIONS, Build, grade_one

_SOLUTION_03 = (SOLUTIONS / "03_update_step.py").read_text(encoding="utf-8")
_HARD_CAP = 1024**2  # a small RLIMIT_FSIZE keeps these tests quick


def _chatty(function_body: str, at_import: str) -> str:
    """The reference solution, with `at_import` run at import and `function_body` first in
    every call of step()."""
    marker = "def step(w: Param, grad: Param, lr: float) -> Param:\n"
    assert marker in _SOLUTION_03
    body = "".join(f"    {line}\n" for line in function_body.splitlines())
    return at_import + "\n" + _SOLUTION_03.replace(marker, marker + body)


def test_printing_far_past_the_cap_at_import_and_in_calls_still_passes(make_submission: Build):
    source = _chatty(
        "import sys\nprint('y' * (20 * 1024**2))\nsys.stderr.write('e' * (20 * 1024**2))",
        "import sys\nfor i in range(200_000):\n    print(i)\n"
        "print('x' * (40 * 1024**2))\nsys.stdout.buffer.write(b'b' * (20 * 1024**2))\n",
    )
    folder = make_submission(exercise03=source)
    step, descend = grade_one(folder, "03").tests
    assert step.verdict is Verdict.PASSED, step.rationale
    assert descend.verdict is Verdict.PASSED, descend.rationale
    assert step.output.startswith("y" * 100)
    assert f"output truncated at {OUTPUT_CAP} bytes" in step.output
    assert len(step.output) <= 4000  # what a result keeps of all its calls
    # A pass shows no output, so the result says in a note what was dropped.
    assert any("the rest was dropped" in note for note in step.notes + descend.notes)


def _sandbox(source: str, tmp_path: Path) -> tuple[Sandbox, object]:
    path = tmp_path / "chatty.py"
    path.write_text(source, encoding="utf-8")
    sandbox = Sandbox(Limits(import_seconds=20.0, call_seconds=20.0, output_bytes=_HARD_CAP))
    return sandbox, sandbox.load("chatty", str(path), source)[0]


def _log_bytes(sandbox: Sandbox) -> int:
    scratch = sandbox._scratch  # the grader's own folder, holding the output log
    assert scratch is not None
    return os.path.getsize(scratch / "output.log")


def test_python_level_output_never_fails_and_the_log_stays_small(tmp_path: Path):
    source = (
        "import sys\n"
        "print('x' * (8 * 1024**2))\n"
        "def shout(n):\n"
        "    for _ in range(n):\n"
        "        print('z' * 100_000)\n"
        "        sys.stderr.write('w' * 100_000)\n"
        "    return n\n"
    )
    sandbox, loaded = _sandbox(source, tmp_path)
    with sandbox:
        assert loaded.returned, loaded.error
        assert loaded.output_truncated
        outcomes = [sandbox.call("chatty", "shout", (50,)) for _ in range(3)]
        assert [o.value for o in outcomes] == [50, 50, 50]
        assert all(o.output_truncated and o.output.startswith("z" * 1000) for o in outcomes)
        # Each reply keeps at most the cap and one byte: four replies, nowhere near the hard cap.
        assert _log_bytes(sandbox) <= 4 * (OUTPUT_CAP + 1)


def test_descriptor_writes_stop_at_the_hard_cap_and_print_still_works(tmp_path: Path):
    source = (
        "import os\n"
        "def flood():\n"
        "    written = 0\n"
        "    try:\n"
        "        while True:\n"
        "            written += os.write(1, b'q' * 65536)\n"
        "    except OSError as exc:\n"
        "        stopped = exc.errno\n"
        "    print('after the flood ' * 10_000)\n"
        "    return [written, stopped]\n"
    )
    sandbox, loaded = _sandbox(source, tmp_path)
    with sandbox:
        assert loaded.returned, loaded.error
        outcome = sandbox.call("chatty", "flood", ())
        assert outcome.returned, outcome.error
        written, stopped = outcome.value
        assert written <= _HARD_CAP and stopped == 27  # EFBIG: the disk cannot be filled
        assert outcome.output_truncated
        assert _log_bytes(sandbox) <= _HARD_CAP
        again = sandbox.call("chatty", "flood", ())
        assert again.returned and again.value[0] == 0
