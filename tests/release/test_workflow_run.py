"""The released workflow's own install and grade steps, run as a GitHub runner runs them, on
repos holding files that would run during installing or grading if anything let them."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from grader.course import CATALOG
from grader.release import bootstrap
from grader.release.manifest import MANIFEST, PACKAGE_DIR
from tests.conftest import SOLUTIONS

WORKFLOW = ".github/workflows/classroom.yml"
_MARK = """\
import pathlib
pathlib.Path({marker!r}, {name!r}).write_text("ran")
"""
# What the runner's Python would pick up from the checkout if anything put it on a path.
_ROOT_FILES = ("pip.py", "sitecustomize.py", "usercustomize.py", "numpy.py", "sympy.py",
               "torch.py", "json.py", "conftest.py", "setup.py")


@dataclass(frozen=True)
class Step:
    """One `run:` step of the workflow: its folder (`${{ … }}` unexpanded) and script."""

    directory: str | None
    script: str


def _steps(text: str) -> dict[str, Step]:
    """The run steps of a workflow, by name (the literal `|` and folded `>-` forms we write)."""
    steps: dict[str, Step] = {}
    lines = text.splitlines()
    name, directory = "", None
    for index, line in enumerate(lines):
        if match := re.match(r"^\s+- name: (.+)$", line):
            name, directory = match.group(1), None
        elif match := re.match(r"^\s+working-directory: (.+)$", line):
            directory = match.group(1)
        elif match := re.match(r"^(\s+)run: ([|>]-?)$", line):
            block = []
            for following in lines[index + 1:]:
                if following.strip() and len(following) - len(following.lstrip()) <= len(
                        match.group(1)):
                    break
                block.append(following)
            body = textwrap.dedent("\n".join(block))
            if match.group(2).startswith(">"):
                body = " ".join(body.split("\n"))
            steps[name] = Step(directory, body.strip() + "\n")
    return steps


@pytest.fixture(scope="module")
def runner_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh Python environment without descent, whose libraries (torch, numpy, pip,
    setuptools) come from this one's: offline, pip finds every requirement satisfied."""
    root = tmp_path_factory.mktemp("runner")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root / "venv")],
                   check=True, timeout=120)
    libraries = root / "libraries"
    libraries.mkdir()
    ours = Path(next(p for p in sys.path if p.endswith("site-packages")))
    for entry in ours.iterdir():
        if not entry.name.startswith(("descent_tutor", "__editable__", "distutils-precedence")):
            (libraries / entry.name).symlink_to(entry)
    (site,) = (root / "venv" / "lib").glob("python*/site-packages")
    (site / "runner-libraries.pth").write_text(f"{libraries}\n")
    return root / "venv" / "bin"


@dataclass(frozen=True)
class Workflow:
    """The install and grade steps of one repo's run, and what the runner was left with."""

    install: subprocess.CompletedProcess[str]
    grade: subprocess.CompletedProcess[str] | None
    result: dict | None


def _run_workflow(repo: Path, runner_bin: Path, tmp_path: Path) -> Workflow:
    steps = _steps((repo / WORKFLOW).read_text(encoding="utf-8"))
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    github = tmp_path / "github"
    github.mkdir()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTHON", "GITHUB_", "PIP_", "VIRTUAL_ENV"))}
    env.update(PATH=f"{runner_bin}{os.pathsep}{env.get('PATH', '')}", GITHUB_WORKSPACE=str(repo),
               RUNNER_TEMP=str(temp), GITHUB_OUTPUT=str(github / "output"),
               GITHUB_STEP_SUMMARY=str(github / "summary.md"),
               # The one difference from GitHub: offline, so no index and no isolated build.
               PIP_NO_INDEX="1", PIP_NO_BUILD_ISOLATION="0")

    def run(name: str) -> subprocess.CompletedProcess[str]:
        step = steps[name]
        assert step.directory == "${{ runner.temp }}", name  # never inside the checkout
        return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                               step.script], cwd=temp, env=env, capture_output=True,
                              text=True, timeout=400)

    install = run("Install the pinned grader")
    grade = run("Grade with descent") if install.returncode == 0 else None  # as Actions does
    output = github / "output"
    result = None
    if output.exists():
        (line,) = [x for x in output.read_text().splitlines() if x.startswith("result=")]
        result = json.loads(base64.b64decode(line.removeprefix("result=")))
    return Workflow(install, grade, result)


def _booby_trap(repo: Path, markers: Path, *names: str) -> None:
    markers.mkdir(exist_ok=True)
    for name in names:
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_MARK.format(marker=str(markers), name=name.replace("/", "_")))


def _solved(student_repo: Path) -> Path:
    for path in SOLUTIONS.glob("*.py"):
        shutil.copy(path, student_repo / "exercises" / path.name)
    return student_repo


def test_files_beside_the_exercises_never_run_and_the_honest_grade_stands(
        student_repo: Path, runner_bin: Path, tmp_path: Path):
    repo = _solved(student_repo)
    markers = tmp_path / "markers"
    _booby_trap(repo, markers, *_ROOT_FILES, "exercises/numpy.py", "tests/conftest.py")
    run = _run_workflow(repo, runner_bin, tmp_path)
    assert run.install.returncode == 0, run.install.stdout[-3000:] + run.install.stderr[-3000:]
    assert run.grade is not None and run.grade.returncode == 0, run.grade.stderr[-3000:]
    assert sorted(p.name for p in markers.iterdir()) == []
    assert run.result is not None
    assert run.result["status"] == "pass", [t for t in run.result["tests"]
                                            if t["status"] != "pass"]
    points = sum(entry.max_score for entry in CATALOG)
    assert sum(t["score"] for t in run.result["tests"]) == run.result["max_score"] == points
    assert f"::notice title=Autograding complete::Points {points:g}/{points:g}" in run.grade.stdout


def test_a_setup_py_beside_the_vendored_grader_never_runs_and_gives_no_grade(
        student_repo: Path, runner_bin: Path, tmp_path: Path):
    repo = _solved(student_repo)
    markers = tmp_path / "markers"
    _booby_trap(repo, markers, f"{PACKAGE_DIR}/setup.py", f"{PACKAGE_DIR}/grader/extra.py")
    run = _run_workflow(repo, runner_bin, tmp_path)
    assert run.install.returncode == 0, run.install.stderr[-3000:]
    assert run.grade is not None and run.grade.returncode == 5
    said = " ".join(run.grade.stdout.split() + run.grade.stderr.split())
    assert f"{PACKAGE_DIR}/setup.py (added)" in said
    assert sorted(p.name for p in markers.iterdir()) == []
    assert run.result is not None and run.result["status"] == "error"


def test_a_changed_vendored_file_stops_the_run_before_anything_is_installed(
        student_repo: Path, runner_bin: Path, tmp_path: Path):
    repo = _solved(student_repo)
    markers = tmp_path / "markers"
    init = repo / PACKAGE_DIR / "grader" / "__init__.py"
    original = init.read_text()
    _booby_trap(repo, markers, f"{PACKAGE_DIR}/grader/__init__.py")
    init.write_text(init.read_text() + original)
    run = _run_workflow(repo, runner_bin, tmp_path)
    assert run.install.returncode == 5
    assert ("::error title=Grading files modified::" in run.install.stdout
            and f"{PACKAGE_DIR}/grader/__init__.py (changed)" in run.install.stdout)
    assert run.grade is None and run.result is None
    assert not (tmp_path / "runner-temp" / "descent-package").exists()
    assert sorted(p.name for p in markers.iterdir()) == []


def test_the_bootstrap_refuses_links_and_names_outside_the_package(released: Path,
                                                                    tmp_path: Path):
    repo = Path(shutil.copytree(released, tmp_path / "repo"))
    engine = repo / PACKAGE_DIR / "grader" / "engine.py"
    engine.unlink()
    engine.symlink_to(released / PACKAGE_DIR / "grader" / "engine.py")  # same bytes, a link
    manifest = json.loads((repo / MANIFEST).read_text())
    manifest["files"][f"{PACKAGE_DIR}/../../escape.py"] = bootstrap.digest(b"")
    (repo / MANIFEST).write_text(json.dumps(manifest))
    assert bootstrap.copy_package(repo, tmp_path / "copy") == [
        f"{PACKAGE_DIR}/../../escape.py (outside the package)",
        f"{PACKAGE_DIR}/grader/engine.py (missing, or not a plain file)",
    ]
    assert not (tmp_path / "copy").exists()
