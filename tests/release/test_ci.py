"""`descent ci` in a released repo as GitHub Actions runs it, and `pytest` there agreeing."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from junitparser import Failure, JUnitXml

from grader.course import CATALOG
from grader.release.manifest import MANIFEST, PACKAGE_DIR
from tests.conftest import SOLUTIONS
from tests.release.conftest import CiRun, RunCi

ALL_TESTS = [entry.test_name(check) for entry in CATALOG for check in entry.checks]
POINTS = {entry.test_name(check): check.points for entry in CATALOG for check in entry.checks}
MAX = sum(POINTS.values())


def _def_lines(repo: Path) -> dict[str, tuple[str, int]]:
    """test name -> (file, line of the graded function's or class's def) in the exercises."""
    lines = {}
    for entry in CATALOG:
        name = f"exercises/{entry.filename}"
        tree = ast.parse((repo / name).read_text(encoding="utf-8"))
        defs = {n.name: n.lineno for n in tree.body
                if isinstance(n, ast.FunctionDef | ast.ClassDef)}  # 09 grades a class
        lines.update({entry.test_name(c): (name, defs[c.function]) for c in entry.checks})
    return lines


def _unescape(text: str) -> str:
    for code, char in (("%0A", "\n"), ("%0D", "\r"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(code, char)
    return text


def _parse_command(line: str) -> tuple[dict[str, str], str]:
    head, message = line.split("::", 2)[1:]
    _, _, props = head.partition(" ")
    pairs = (item.split("=", 1) for item in props.split(",") if item)
    return {key: _unescape(value) for key, value in pairs}, message


def _copy_solutions(repo: Path, *names: str) -> None:
    for path in SOLUTIONS.glob("*.py"):
        if not names or path.name in names:
            shutil.copy(path, repo / "exercises" / path.name)


def test_ci_on_the_stubs_fails_every_test_without_failing_the_job(student_repo: Path,
                                                                   run_ci: RunCi):
    run = run_ci(student_repo)
    assert run.code == 0  # by default a low score never turns the job red

    assert f"## descent: 0/{MAX} points" in run.summary
    rows = [line for line in run.summary.splitlines() if line.startswith("| ") and "`" in line]
    assert [re.search(r"`([^`]+)`", row).group(1) for row in rows] == ALL_TESTS
    for row, test in zip(rows, ALL_TESTS, strict=True):
        assert f"| 0/{POINTS[test]} | not attempted: " in row
    assert run.summary.count("<details>") == len(ALL_TESTS)

    errors = run.commands("error")
    lines = _def_lines(student_repo)
    assert len(errors) == len(ALL_TESTS)
    for line, test in zip(errors, ALL_TESTS, strict=True):
        props, message = _parse_command(line)
        file, def_line = lines[test]
        assert props == {"file": file, "line": str(def_line),
                         "title": f"{test} not attempted (0/{POINTS[test]})"}
        assert "\n" not in message and "%0A" in message
        assert "still the stub as shipped" in _unescape(message)
    assert run.commands("notice") == [f"::notice title=Autograding complete::Points 0/{MAX}"]

    classroom = run.classroom
    assert classroom is not None
    assert (classroom["version"], classroom["status"], classroom["max_score"]) == (1, "fail", MAX)
    assert [t["name"] for t in classroom["tests"]] == ALL_TESTS
    for test in classroom["tests"]:
        file, def_line = lines[test["name"]]
        assert (test["status"], test["score"], test["filename"], test["line_no"]) == (
            "fail", 0, file, def_line)
        assert "still the stub as shipped" in test["message"]
        assert test["test_code"] == f"descent check {test['name'].split(':')[0]}"
        assert isinstance(test["duration"], int)

    junit = JUnitXml.fromfile(str(run.artifacts / "junit.xml"))
    (suite,) = list(junit)
    assert (suite.name, suite.tests, suite.failures, suite.errors) == (
        "assignment-alice", len(ALL_TESTS), len(ALL_TESTS), 0)
    cases = list(suite)
    assert [case.name for case in cases] == ALL_TESTS
    assert all(isinstance(case.result[0], Failure) for case in cases)

    gradescope = json.loads((run.artifacts / "results.json").read_text())
    assert gradescope["score"] == 0
    assert [t["name"] for t in gradescope["tests"]] == ALL_TESTS
    assert {t["status"] for t in gradescope["tests"]} == {"failed"}

    assert run_ci(student_repo, "--fail-under", "1").code == 1


def test_ci_passes_every_test_once_the_solutions_are_in(student_repo: Path, run_ci: RunCi):
    _copy_solutions(student_repo)
    run = run_ci(student_repo, "--fail-under", str(MAX))
    assert run.code == 0, run.errors
    assert f"## descent: {MAX}/{MAX} points" in run.summary
    assert f"{len(ALL_TESTS)} of {len(ALL_TESTS)} tests passed" in run.summary
    assert "<details>" not in run.summary
    assert run.commands("error") == [] and run.commands("warning") == []
    assert run.commands("notice") == [f"::notice title=Autograding complete::Points {MAX}/{MAX}"]
    classroom = run.classroom
    assert classroom is not None and classroom["status"] == "pass"
    assert {t["status"] for t in classroom["tests"]} == {"pass"}
    assert sum(t["score"] for t in classroom["tests"]) == classroom["max_score"] == MAX
    junit = JUnitXml.fromfile(str(run.artifacts / "junit.xml"))
    assert (junit.tests, junit.failures, junit.errors) == (len(ALL_TESTS), 0, 0)
    assert json.loads((run.artifacts / "results.json").read_text())["score"] == MAX


@pytest.mark.parametrize(("edit", "named"), [
    ("grader", f"{PACKAGE_DIR}/grader/engine.py (changed)"),
    ("workflow", ".github/workflows/classroom.yml (changed)"),
    ("test module", "tests/test_course.py (missing)"),
    ("added module", f"{PACKAGE_DIR}/grader/sitecustomize.py (added)"),
    ("manifest", f"{MANIFEST} (missing)"),
])
def test_ci_gives_no_grade_when_grading_files_were_edited(student_repo: Path, run_ci: RunCi,
                                                          edit: str, named: str):
    _copy_solutions(student_repo)  # full marks, were it graded
    if edit == "grader":
        engine = student_repo / PACKAGE_DIR / "grader" / "engine.py"
        engine.write_text(engine.read_text() + "\n# every test passes\n")
    elif edit == "workflow":
        workflow = student_repo / ".github/workflows/classroom.yml"
        workflow.write_text(workflow.read_text().replace("descent ci", "echo"))
    elif edit == "test module":
        (student_repo / "tests" / "test_course.py").unlink()
    elif edit == "added module":
        (student_repo / PACKAGE_DIR / "grader" / "sitecustomize.py").write_text("")
    else:
        (student_repo / MANIFEST).unlink()
    run = run_ci(student_repo)
    assert run.code == 5
    assert "modified" in run.errors and named in " ".join(run.errors.split())
    assert "## descent: not graded" in run.summary and f"`{named}`" in run.summary
    (error,) = run.commands("error")
    assert error.startswith("::error title=Grading files modified::") and named in error
    assert run.commands("notice") == []
    classroom = run.classroom
    assert classroom is not None and classroom["status"] == "error"
    assert classroom["max_score"] == MAX and sum(t["score"] for t in classroom["tests"]) == 0
    assert named in classroom["tests"][0]["message"]
    assert not (run.artifacts / "junit.xml").exists()
    assert json.loads((run.artifacts / "descent.json").read_text())["verdict"] == "modified"


def test_pytest_in_the_released_repo_gives_the_same_verdicts(student_repo: Path, run_ci: RunCi,
                                                             tmp_path: Path):
    _copy_solutions(student_repo, "01_quadratic.py", "03_update_step.py", "05_torch_gradients.py")
    step = student_repo / "exercises" / "03_update_step.py"
    source = step.read_text()
    assert "return w - lr * grad" in source
    step.write_text(source.replace("return w - lr * grad", "return w + lr * grad"))
    ci: CiRun = run_ci(student_repo)
    assert ci.classroom is not None
    verdicts = {t["name"]: t["status"] for t in ci.classroom["tests"]}
    messages = {t["name"]: t["message"] for t in ci.classroom["tests"]}
    assert set(verdicts.values()) == {"pass", "fail"}
    assert verdicts["03_update_step:step"] == "fail"
    assert messages["03_update_step:step"].startswith("failed (0/1)\nwhy: ")

    report = tmp_path / "pytest-junit.xml"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", f"--junitxml={report}"],
        cwd=student_repo, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    for test, verdict in verdicts.items():
        assert f"test_course[{test}]" in run.stdout or verdict == "pass"
    cases = {case.name: case for suite in JUnitXml.fromfile(str(report)) for case in suite}
    assert sorted(cases) == sorted(f"test_course[{test}]" for test in ALL_TESTS)
    for test, verdict in verdicts.items():
        case = cases[f"test_course[{test}]"]
        if verdict == "pass":
            assert case.is_passed, test
        else:
            (failure,) = case.result
            assert isinstance(failure, Failure), test
            assert messages[test] in (failure.text or ""), test
