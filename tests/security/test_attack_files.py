"""Category 9: files that are not what they seem are refused before anything runs, fast."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from grader.model import Verdict
from tests.conftest import ROOT, SOLUTIONS, Build, grade_one
from tests.security.helpers import verdicts

_FILE = "03_update_step.py"


def _replace(folder: Path, make: object) -> None:
    target = folder / _FILE
    target.unlink()
    make(target)  # type: ignore[operator]


TRAPS = {
    "symlink to the solution": lambda p: p.symlink_to(SOLUTIONS / _FILE),
    "relative symlink out": lambda p: p.symlink_to(Path("..") / ".." / ".." / _FILE),
    "symlink to /dev/zero": lambda p: p.symlink_to("/dev/zero"),
    "fifo": lambda p: os.mkfifo(p),
    "folder": lambda p: p.mkdir(),
    "giant file": lambda p: p.write_bytes(b"#" * (300 * 1024)),
    "sparse 10 GB file": lambda p: os.truncate(p.touch() or p, 10 * 1024**3),
    "not UTF-8": lambda p: p.write_bytes((SOLUTIONS / _FILE).read_bytes() + b"\n# \xff\xfe\n"),
    "NUL bytes": lambda p: p.write_bytes(b"import os\x00\n"),
}


@pytest.mark.parametrize("name", sorted(TRAPS))
def test_a_trap_file_is_an_error_and_nothing_runs(make_submission: Build, name: str):
    folder = make_submission()
    _replace(folder, TRAPS[name])
    started = time.perf_counter()
    got = verdicts(grade_one(folder, "03"))
    assert set(got.values()) == {Verdict.ERROR}
    assert time.perf_counter() - started < 5.0


def test_an_exercises_folder_that_links_to_the_solutions_is_refused(tmp_path: Path):
    submission = tmp_path / "mallory"
    submission.mkdir()
    (submission / "exercises").symlink_to(ROOT / "solutions")
    got = verdicts(grade_one(submission / "exercises", "03"))
    assert Verdict.PASSED not in got.values()
    assert set(got.values()) == {Verdict.ERROR}
