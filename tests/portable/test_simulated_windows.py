"""`descent check` where fork, setsid, at-fork hooks, /proc and prctl are missing (as on Windows)
gives the verdicts and diagnoses of the Linux mode, verdict for verdict."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from grader.course import find_exercise
from tests.test_diagnoses import CASES

ROOT = Path(__file__).resolve().parents[2]
SIMULATION = Path(__file__).resolve().parent  # holds sitecustomize.py

pytestmark = pytest.mark.linux_layers  # the reference run needs today's Linux layers

_SOLUTION = {path.name[:2]: path.read_text(encoding="utf-8")
             for path in (ROOT / "solutions").glob("0*.py")}
BROKEN = {
    "01": "def derivative(:\n    return 1\n",  # syntax error
    "02": "def df_dx():\n    while True:\n        pass\n",  # hangs
    "03": "import ctypes\ndef step(w, grad, lr):\n    return ctypes.string_at(0)\n",  # crash
    "04": "import sys\ndef sigmoid(h):\n    sys.exit(3)\n",
    "05": "import os\ndef linreg_grads(x, y, w0, w1):\n    os._exit(0)\n",
    "06": ("import os\nfor _ in range(100000):\n    print('spam ' * 20)\n"
           "os.write(1, b'x' * 4000000)\n" + _SOLUTION["06"]),  # huge output, at import
    "07": "name = input('your name? ')\n" + _SOLUTION["07"],  # input() at import
}
# One named wrong answer per exercise that has them, the solutions elsewhere.
DIAGNOSES = {exercise: source for exercise, _, source, _ in reversed(CASES)}

COURSES: dict[str, dict[str, str]] = {"solutions": {}, "stubs": {}, "diagnoses": DIAGNOSES,
                                      "broken": BROKEN}


def _course(tmp_path: Path, which: str) -> Path:
    """A course folder (its path has a space) holding the chosen files, every one with CRLF
    line ends (as git checks them out on Windows)."""
    course = tmp_path / "my course"
    exercises = course / "exercises"
    shutil.copytree(ROOT / ("exercises" if which == "stubs" else "solutions"), exercises)
    for exercise, source in COURSES[which].items():
        (exercises / find_exercise(exercise).filename).write_text(source, encoding="utf-8")
    for path in exercises.glob("*.py"):
        path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    return course


def _check(course: Path, *, simulated: bool) -> dict[str, Any]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("DESCENT_ISOLATION", "PYTHONPATH")}
    if simulated:
        env["PYTHONPATH"] = str(SIMULATION)
    done = subprocess.run([sys.executable, "-m", "grader.cli", "check", "--json"], cwd=course,
                          env=env, capture_output=True, timeout=300, check=False)
    assert done.returncode in (0, 1), done.stderr.decode(errors="replace")[-3000:]
    return json.loads(done.stdout)


def _verdicts(result: dict[str, Any]) -> dict[str, tuple[str, str | None]]:
    return {f"{test['exercise']}:{test['function']}":
            (test["verdict"], (test.get("diagnosis") or {}).get("name"))
            for test in result["tests"]}


@pytest.mark.parametrize("which", list(COURSES))
def test_simulated_windows_agrees_with_linux(tmp_path: Path, which: str) -> None:
    course = _course(tmp_path, which)
    linux = _check(course, simulated=False)
    windows = _check(course, simulated=True)
    assert windows["isolation"].startswith("portable ("), windows["isolation"]
    assert not linux["isolation"].startswith("portable"), linux["isolation"]
    assert _verdicts(windows) == _verdicts(linux)
    if which == "broken":  # every kind of breakage really happened, in both
        verdicts = {verdict for verdict, _ in _verdicts(windows).values()}
        assert "error" in verdicts and "passed" in verdicts, verdicts


def test_the_simulation_removes_what_windows_lacks() -> None:
    probe = ("import os, signal, ctypes, grader.isolation as i\n"
             "print(hasattr(os, 'fork'), hasattr(os, 'register_at_fork'), hasattr(os, 'setsid'),"
             " hasattr(signal, 'setitimer'), i.level())\n")
    env = {**os.environ, "PYTHONPATH": str(SIMULATION)}
    env.pop("DESCENT_ISOLATION", None)
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                          text=True, cwd=ROOT, timeout=120, check=True)
    assert done.stdout.split() == ["False", "False", "False", "False", "portable"]
