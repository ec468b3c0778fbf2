"""The `descent` command as users run it: check, hint, grade, list, and its errors."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.cli import main
from grader.course import CATALOG, find_exercise
from tests.conftest import EXERCISES, SOLUTIONS

ALL_TESTS = [entry.test_name(check) for entry in CATALOG for check in entry.checks]
COURSE_POINTS = sum(entry.max_score for entry in CATALOG)


def _course(tmp_path: Path, source: Path) -> Path:
    shutil.copytree(source, tmp_path / "exercises")
    return tmp_path


def _descent(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "grader.cli", *args],
        cwd=cwd, capture_output=True, text=True, timeout=300,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "120", "HOME": str(cwd)},
    )


def test_check_on_stubs_fails_with_guidance(tmp_path: Path):
    run = _descent("check", cwd=_course(tmp_path, EXERCISES))
    assert run.returncode == 1
    tests = len(ALL_TESTS)
    assert f"0 passed, {tests} failed  ({tests} not attempted)" in run.stdout
    assert f"score 0/{COURSE_POINTS:g}" in run.stdout
    assert "still the stub as shipped" in run.stdout
    assert "descent hint 01_quadratic:derivative" in run.stdout


def test_check_on_solutions_passes(tmp_path: Path):
    run = _descent("check", cwd=_course(tmp_path, SOLUTIONS))
    assert run.returncode == 0, run.stdout
    assert f"{len(ALL_TESTS)} passed, 0 failed" in run.stdout
    assert f"score {COURSE_POINTS:g}/{COURSE_POINTS:g}" in run.stdout


def test_check_selects_exercises_and_speaks_json(tmp_path: Path, capsys):
    course = _course(tmp_path, SOLUTIONS)
    assert main(["--course", str(course), "check", "03", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [t["test"] for t in data["tests"]] == ["03_update_step:step", "03_update_step:descend"]
    assert all(t["verdict"] == "passed" for t in data["tests"])


def test_hint_reveals_tiers_one_at_a_time_and_records_them(tmp_path: Path, capsys):
    course = _course(tmp_path, EXERCISES)
    test = "03_update_step:descend"
    tiers = CATALOG[2].hints["descend"]
    for shown in (1, 2, 3, 3):
        assert main(["--course", str(course), "hint", test]) == 0
        out = capsys.readouterr().out
        assert f"hint {shown} of {len(tiers)}" in out
        flat = " ".join(out.split())
        assert all(" ".join(tier.split())[:40] in flat for tier in tiers[:shown])
    store = json.loads((course / ".descent" / "progress.json").read_text())
    assert store["hints"][test] == 3


def test_grade_writes_gradescope_results_and_grades_csv(tmp_path: Path):
    submissions = tmp_path / "submissions"
    shutil.copytree(SOLUTIONS, submissions / "alice" / "exercises")
    shutil.copytree(EXERCISES, submissions / "bob" / "exercises")
    shutil.copytree(SOLUTIONS, submissions / "carol" / "exercises")
    (submissions / "carol" / "exercises" / "03_update_step.py").write_text("def step(:\n")
    (submissions / "dave").mkdir()  # handed in nothing: still gets a result
    out = tmp_path / "out"
    run = _descent("grade", str(submissions), "--out", str(out), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    scores = {}
    for name in ("alice", "bob", "carol", "dave"):
        results = json.loads((out / name / "results.json").read_text())
        assert isinstance(results["score"], float | int)
        assert isinstance(results["execution_time"], float | int)
        assert isinstance(results["output"], str)
        assert [t["name"] for t in results["tests"]] == ALL_TESTS
        for test in results["tests"]:
            assert test["status"] in ("passed", "failed")
            assert 0 <= test["score"] <= test["max_score"]
            assert test["output"]
        scores[name] = results["score"]
    broken = find_exercise("03_update_step").max_score  # carol's syntax error costs all of 03
    assert scores["alice"] == COURSE_POINTS and scores["bob"] == 0 and scores["dave"] == 0
    assert scores["carol"] == COURSE_POINTS - broken
    carol = json.loads((out / "carol" / "results.json").read_text())
    step = next(t for t in carol["tests"] if t["name"] == "03_update_step:step")
    assert "exercises/03_update_step.py has a syntax error at line 1" in step["output"]
    with (out / "grades.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert [r["submission"] for r in rows] == ["alice", "bob", "carol", "dave"]
    assert list(rows[0]) == ["submission", *ALL_TESTS, "total", "max_total", "status"]
    assert [r["status"] for r in rows] == ["passed", "not attempted", "error", "not attempted"]
    assert rows[2]["total"] == f"{COURSE_POINTS - broken:g}"
    assert rows[2]["03_update_step:step"] == "0"
    assert [r["max_total"] for r in rows] == [f"{COURSE_POINTS:g}"] * 4


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["grade", "no/such/folder", "--out", "out"], "does not exist"),
        (["hint", "99_nothing:f"], "no exercise called"),
        (["hint", "03_update_step:nope"], "has no function"),
        (["check", "42"], "no exercise called"),
    ],
)
def test_bad_usage_is_a_clear_error_with_exit_code_2(tmp_path: Path, args, words):
    run = _descent(*args, cwd=_course(tmp_path, EXERCISES))
    assert run.returncode == 2
    assert words in run.stderr
    assert "Traceback" not in run.stderr


def test_no_course_found_says_what_to_do(tmp_path: Path):
    run = _descent("check", cwd=tmp_path)
    assert run.returncode == 3
    assert "no course found" in run.stderr and "--course" in run.stderr
