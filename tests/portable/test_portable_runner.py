"""The portable runner and judge (DESCENT_ISOLATION=portable): modes, trees, deadlines, batch."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import sympy

from grader import isolation
from grader.course import find_exercise
from grader.engine import Settings, grade
from grader.forking import ChildCrashed
from grader.model import Verdict
from grader.portable import judge
from grader.sandbox import Limits
from grader.symbolic.compare import Outcome, compare
from tests.conftest import Build, grade_one

SIMULATION = Path(__file__).resolve().parent
ROOT = SIMULATION.parents[1]
x = sympy.Symbol("x")


@pytest.fixture(autouse=True)
def portable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESCENT_ISOLATION", "portable")


def test_the_mode_is_named_and_batch_grading_is_warned() -> None:
    assert isolation.level() == "portable"
    assert isolation.detect().name.startswith("portable (spawn + deadlines + tree kill")
    assert "not confined" in (isolation.confinement_warning() or "")


def test_without_the_variable_linux_keeps_its_layers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DESCENT_ISOLATION")
    if isolation.level() == "portable":
        pytest.skip("the Linux layers cannot work on this machine")
    assert isolation.confinement_warning() is None


def test_a_hang_kills_every_process_the_submission_started(make_submission: Build) -> None:
    folder = make_submission(exercise03=(
        "import subprocess, sys\n"
        "def step(w, grad, lr):\n"
        "    subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)'])\n"
        "    while True:\n"
        "        pass\n"))
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    step = grade_one(folder, "03").tests[0]
    assert step.verdict is Verdict.ERROR and "did not finish" in step.rationale
    time.sleep(0.5)
    left = {p.pid for p in psutil.Process().children(recursive=True)} - before
    assert left <= isolation.zygote_pids(), "a process of the submission survived"


def test_memory_past_the_limit_ends_only_that_call(make_submission: Build) -> None:
    folder = make_submission(exercise03=(
        "def step(w, grad, lr):\n    hog = bytearray(600 * 2**20)\n    return w - lr * grad\n"))
    settings = Settings(limits=Limits(call_seconds=5.0, memory_bytes=256 * 2**20))
    result = grade(folder, name="hog", exercises=[find_exercise("03")], settings=settings)
    step = result.tests[0]
    assert step.verdict is Verdict.ERROR, step.rationale


def test_a_stuck_comparison_is_undecided_and_the_judge_replaced() -> None:
    slow = sympy.expand((x + 1) ** 400) - sympy.expand((x + 1) ** 399) * (x + 1) + sympy.sin(x)
    stuck = compare(slow, sympy.sin(x), seed=1, timeout=0.05)
    assert stuck.outcome is Outcome.UNDECIDED, stuck
    assert compare(x + 3, x + 2, seed=1).outcome is Outcome.DIFFERENT
    assert compare((x + 1) ** 2, x**2 + 2 * x + 1, seed=1).outcome is Outcome.EQUAL


def test_a_crashing_judge_is_undecided(monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(*_args: object) -> object:
        raise ChildCrashed("exited with code 70")

    monkeypatch.setattr(judge, "call", crash)
    result = compare(sympy.sin(x) ** 2 + sympy.cos(x) ** 2, sympy.Integer(1), seed=1)
    assert (result.outcome, result.method) == (Outcome.UNDECIDED, "error")


def test_batch_grading_in_simulated_windows_warns_and_grades(tmp_path: Path) -> None:
    for name in ("ada", "bob"):
        shutil.copytree(ROOT / "solutions", tmp_path / "in" / name / "exercises")
    env = {**os.environ, "PYTHONPATH": str(SIMULATION)}
    env.pop("DESCENT_ISOLATION")
    done = subprocess.run([sys.executable, "-m", "grader.cli", "grade", str(tmp_path / "in"),
                           "--out", str(tmp_path / "out"), "--seed", "7", "--no-report"],
                          cwd=tmp_path, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "not confined" in done.stdout + done.stderr
    results = sorted((tmp_path / "out").rglob("descent.json"))
    assert len(results) == 2
    for path in results:
        result = json.loads(path.read_text(encoding="utf-8"))
        assert result["isolation"].startswith("portable")
        assert all(test["verdict"] == "passed" for test in result["tests"])
