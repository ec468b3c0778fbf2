"""`descent check` end to end over the whole catalog: untouched stubs, then the solutions."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from grader.course import CATALOG
from tests.conftest import EXERCISES, SOLUTIONS

ALL_TESTS = [entry.test_name(check) for entry in CATALOG for check in entry.checks]
EXERCISE_IDS = [entry.id for entry in CATALOG]


def _check(tmp_path: Path, source: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`descent check` as a student runs it, in a fresh course folder holding `source`."""
    shutil.copytree(source, tmp_path / "exercises")
    return subprocess.run(
        [sys.executable, "-m", "grader.cli", "check", *args],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", "HOME": str(tmp_path)},
    )


def _by_test(run: subprocess.CompletedProcess[str]) -> dict[str, dict[str, Any]]:
    data = json.loads(run.stdout)
    tests = {t["test"]: t for t in data["tests"]}
    assert list(tests) == ALL_TESTS  # every test of every exercise, in course order
    return tests


def test_the_catalog_is_the_nine_exercises_of_the_contract():
    assert EXERCISE_IDS == ["01_quadratic", "02_partials", "03_update_step", "04_sigmoid_delta",
                            "05_torch_gradients", "06_losses", "07_linear_regression",
                            "08_backprop", "09_autodiff"]


def test_untouched_stubs_are_not_attempted_in_every_exercise_with_guidance(tmp_path: Path):
    run = _check(tmp_path / "json", EXERCISES, "--json")
    assert run.returncode == 1, run.stderr
    tests = _by_test(run)
    for name, entry in ((e.test_name(c), e) for e in CATALOG for c in e.checks):
        test = tests[name]
        assert (test["verdict"], test["score"]) == ("not_attempted", 0), name
        assert test["file"] == f"exercises/{entry.filename}"
        assert f"exercises/{entry.filename} is still the stub as shipped" in test["rationale"]
        assert len(test["hints"]) >= 3, name

    shown = _check(tmp_path / "text", EXERCISES)
    assert shown.returncode == 1
    total = len(ALL_TESTS)
    assert f"0 passed, {total} failed  ({total} not attempted)" in shown.stdout
    for entry in CATALOG:
        assert f"{entry.id} — {entry.title}  0/{entry.max_score:g}" in shown.stdout
    for name in ALL_TESTS:  # the next step for each test: its first hint
        assert f"hint: descent hint {name}" in shown.stdout


def test_the_solutions_pass_every_test_of_every_exercise(tmp_path: Path):
    run = _check(tmp_path, SOLUTIONS, "--json")
    assert run.returncode == 0, run.stdout
    tests = _by_test(run)
    failing = {name: t["rationale"] for name, t in tests.items() if t["verdict"] != "passed"}
    assert failing == {}
    for entry in CATALOG:
        earned = sum(tests[entry.test_name(c)]["score"] for c in entry.checks)
        assert earned == entry.max_score > 0, entry.id
    assert json.loads(run.stdout)["score"] == sum(entry.max_score for entry in CATALOG)
