"""Files named like the grader's libraries in a student's clone never run as the grader:
not in `descent grade` run there, not in the nursery its workers come from, not in a worker."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader import import_path, nursery
from grader.errors import UsageError
from tests.conftest import SOLUTIONS

# Each writes a marker where the test can see it and then breaks the import, so a run that
# imported one either leaves the marker or cannot grade honestly.
_SHADOWS = ("numpy", "sympy", "torch", "json", "sitecustomize")
_SHADOW = """\
import pathlib
pathlib.Path({marker!r}).write_text("ran")
raise ImportError("the student's {name}.py was imported")
"""
# In the worker: neither the clone, nor its exercises/, nor '' (the worker's current folder)
# may be where imports come from. A failed assertion fails exercise 01.
_PROBE = """\
import os as _os, sys as _sys
assert "" not in _sys.path, _sys.path
assert not [p for p in _sys.path if _os.path.realpath(p) in {forbidden!r}], _sys.path
assert _os.path.realpath(_os.getcwd()) not in {forbidden!r}, _os.getcwd()
"""


def _clone(tmp_path: Path, markers: Path, beside: tuple[str, ...]) -> Path:
    """A student's folder: honest solutions, with library look-alikes beside and inside."""
    clone = tmp_path / "alice"
    exercises = clone / "exercises"
    shutil.copytree(SOLUTIONS, exercises)
    markers.mkdir()
    for folder, names in ((clone, beside), (exercises, (*_SHADOWS, "grader"))):
        for name in names:
            marker = markers / f"{folder.name}-{name}"
            (folder / f"{name}.py").write_text(_SHADOW.format(marker=str(marker), name=name))
    forbidden = {str(clone.resolve()), str(exercises.resolve())}
    first = exercises / "01_quadratic.py"
    first.write_text(_PROBE.format(forbidden=forbidden) + first.read_text())
    return clone


@pytest.mark.parametrize("command", ["descent", "python -I -m grader.cli",
                                     "python -m grader.cli"])
def test_grading_in_a_students_clone_imports_none_of_its_files(tmp_path: Path, command: str):
    markers = tmp_path / "markers"
    # `python -m grader.cli` takes `grader` itself, and the standard modules that descent
    # imports before it can drop the folder, from where it runs: in a student's folder only
    # the installed command and `-I` are safe (SECURITY.md). The heavy libraries load later.
    beside = (("numpy", "sympy", "torch", "sitecustomize") if command == "python -m grader.cli"
              else (*_SHADOWS, "grader"))
    clone = _clone(tmp_path, markers, beside)
    out = tmp_path / "out"
    program = {"descent": [str(Path(sys.executable).with_name("descent"))],
               "python -I -m grader.cli": [sys.executable, "-I", "-m", "grader.cli"],
               "python -m grader.cli": [sys.executable, "-m", "grader.cli"]}[command]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    run = subprocess.run([*program, "grade", ".", "--out", str(out), "--jobs", "1",
                          "--no-report"], cwd=clone, env=env, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert sorted(p.name for p in markers.iterdir()) == []
    (row,) = csv.DictReader((out / "grades.csv").open())
    assert row["submission"] == "alice"
    assert float(row["total"]) == float(row["max_total"]) > 0  # graded, and honestly


def test_the_nursery_runs_isolated_in_a_neutral_folder(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    nursery.start()
    pid = nursery.nursery_pid()
    assert pid is not None
    argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    assert argv[1] == b"-I"  # no current or script folder on its path, no PYTHON* variables
    assert os.readlink(f"/proc/{pid}/cwd") == "/"
    assert b"PYTHONPATH=" not in Path(f"/proc/{pid}/environ").read_bytes()


def test_trusted_path_drops_the_current_folder_and_relative_entries(tmp_path: Path):
    library = str(Path(os.__file__).parent)
    paths = ["", str(tmp_path), "relative", library, f"{tmp_path}/sub"]
    assert import_path.trusted(paths, str(tmp_path)) == [library, f"{tmp_path}/sub"]


def test_secure_takes_the_folder_off_the_path_and_refuses_what_came_from_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    library = str(Path(os.__file__).parent)
    monkeypatch.setattr(sys, "path", ["", str(tmp_path), library])
    import_path.secure()
    assert sys.path == [library]

    (tmp_path / "colorsys_lookalike.py").write_text("")
    monkeypatch.setattr(sys, "path", [str(tmp_path), library])
    import colorsys_lookalike  # what a shadowed standard module looks like once imported

    try:
        with pytest.raises(UsageError, match="colorsys_lookalike") as caught:
            import_path.secure()
        assert "python -I -m grader.cli" in (caught.value.next_step or "")
    finally:
        del sys.modules[colorsys_lookalike.__name__]

