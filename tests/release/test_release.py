"""`descent release`: the student repo's files, manifest and workflow, and what it leaves out."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from grader import __version__
from grader.cli import main
from grader.course import CATALOG
from grader.release import manifest
from grader.release.leaks import find_leaks
from grader.release.manifest import MANIFEST, PACKAGE_DIR, PACKAGES, digest, verify
from tests.conftest import EXERCISES, ROOT, SOLUTIONS

WORKFLOW = ".github/workflows/classroom.yml"


def test_release_holds_stubs_grader_workflow_and_manifest(released: Path):
    for entry in CATALOG:
        stub = released / "exercises" / entry.filename
        assert stub.read_bytes() == (EXERCISES / entry.filename).read_bytes()
    vendored = ("pyproject.toml", "grader/engine.py", "tui/app.py",
                "grader/course/hints/01_quadratic.toml")
    for name in (WORKFLOW, "README.md", "requirements.txt", "pytest.ini", "tests/test_course.py",
                 ".gitignore", *(f"{PACKAGE_DIR}/{name}" for name in vendored)):
        assert (released / name).is_file(), name
    requirements = (released / "requirements.txt").read_text()
    assert "torch==2.13.0" in requirements and "./.descent/package" in requirements
    readme = (released / "README.md").read_text()
    for words in ("--index-url https://download.pytorch.org/whl/cpu", "descent check",
                  "descent hint", "pip install -r requirements.txt", "modified"):
        assert words in readme, words
    assert "\n| `03_update_step` | `step`, `descend` | 3 |" in readme


def test_release_holds_no_solution(released: Path):
    assert not list(released.rglob("solutions"))
    assert not [p for p in released.rglob("*") if p.suffix in {".pyc", ".pyo"}
                or p.name == "__pycache__"]
    assert find_leaks(released, SOLUTIONS, EXERCISES) == []
    # errors="replace": the vendored grader holds binary files too (the compiled catalogue).
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in released.rglob("*")
             if p.is_file()]
    for solution in SOLUTIONS.glob("*.py"):
        assert not any(solution.read_text(encoding="utf-8") in text for text in texts)


def test_manifest_hashes_every_grading_file(released: Path):
    data = json.loads((released / MANIFEST).read_text())
    assert data["descent_version"] == __version__
    files = data["files"]
    vendored = {p.relative_to(released).as_posix()
                for p in (released / PACKAGE_DIR).rglob("*") if p.is_file()}
    assert vendored <= set(files)
    assert {WORKFLOW, "requirements.txt", "pytest.ini", "tests/test_course.py"} <= set(files)
    assert not any(name.startswith("exercises/") for name in files)  # the student's to edit
    for name, expected in files.items():
        assert digest((released / name).read_bytes()) == expected, name
    assert verify(released) == []


def test_workflow_is_what_classroom_needs(released: Path):
    text = (released / WORKFLOW).read_text()
    assert re.search(r"^name: Autograding Tests$", text, re.M)
    assert re.search(r'^"on":\n  - push\n  - repository_dispatch\n', text, re.M)
    assert re.search(r"^jobs:\n  run-autograding-tests:\n", text, re.M)
    assert len(re.findall(r"^  [\w-]+:$", text.split("\njobs:\n", 1)[1], re.M)) == 1
    assert "if: github.actor != 'github-classroom[bot]'" in text
    # Outside the checkout, isolated, the repo named by argument; results where the upload
    # step looks for them.
    assert re.search(r'python -I -m grader\.cli --course "\$GITHUB_WORKSPACE"\n\s+ci '
                     r'--artifacts "\$GITHUB_WORKSPACE/descent-results"', text)
    assert text.count("working-directory: ${{ runner.temp }}") == 2
    assert "path: descent-results/" in text
    assert "requirements.txt" not in text.split("\njobs:\n", 1)[1]  # pip would build in the repo
    commands = re.findall(r"^\s+(?:run: )?(python .*)$", text, re.M)
    assert len(commands) == 4 and all(c.startswith("python -I ") for c in commands), commands
    assert "DESCENT_RESULTS: ${{ steps.descent.outputs.result }}" in text
    assert "runners: descent" in text
    assert "torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu" in text
    uses = re.findall(r"uses: (\S+)", text)
    assert len(uses) == 4
    for action in uses:  # pinned: a full commit SHA, or the reporter's only published tag
        assert re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", action) or action.endswith(
            "autograding-grading-reporter@v1"), action


def test_workflow_passes_actionlint(released: Path):
    binary = shutil.which("actionlint", path=str(Path(sys.executable).parent))
    assert binary, "actionlint is missing: pip install -e '.[dev]' installs it"
    run = subprocess.run([binary, "-no-color", WORKFLOW], cwd=released, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr


def test_verify_checks_the_grader_that_is_running(released: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch):
    installed = tmp_path / "site-packages"
    for package in PACKAGES:
        shutil.copytree(released / PACKAGE_DIR / package, installed / package)
    monkeypatch.setattr(manifest, "installed_package", lambda name: installed / name)
    assert verify(released) == []  # a plain install of the vendored copy is the release
    (installed / "grader" / "engine.py").write_text("# every test passes\n")
    (installed / "tui" / "extra.py").write_text("")
    assert [str(m) for m in verify(released)] == [
        f"installed grader/engine.py (differs from {PACKAGE_DIR})",
        "installed tui/extra.py (not in the release)",
    ]
    monkeypatch.setattr(manifest, "__version__", "9.9.9")
    assert [str(m) for m in verify(released)] == [
        f"installed descent (version 9.9.9, this assignment pins {__version__})"]


@pytest.mark.skipif(importlib.util.find_spec("setuptools") is None,
                    reason="building offline (--no-build-isolation) needs setuptools in the venv")
def test_vendored_grader_builds_into_the_released_files(released: Path, tmp_path: Path):
    """pip installs exactly the hashed files, and its in-tree build leftovers are no edit."""
    repo = Path(shutil.copytree(released, tmp_path / "repo"))
    run = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         f"./{PACKAGE_DIR}", "-w", str(tmp_path / "wheel")],
        cwd=repo, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    files = json.loads((repo / MANIFEST).read_text())["files"]
    (wheel,) = (tmp_path / "wheel").glob(f"descent_tutor-{__version__}-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        packaged = [n for n in archive.namelist() if n.startswith(("grader/", "tui/"))]
        assert "grader/course/hints/03_update_step.toml" in packaged
        for name in packaged:
            assert files[f"{PACKAGE_DIR}/{name}"] == digest(archive.read(name)), name
    assert verify(repo) == []


def test_release_refuses_a_busy_folder_and_force_keeps_git(released: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]):
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    assert main(["--course", str(ROOT), "release", str(busy)]) == 2
    assert main(["--course", str(ROOT), "release", str(busy), "--force"]) == 2
    assert (busy / "notes.txt").exists()  # --force only replaces a previous release
    again = Path(shutil.copytree(released, tmp_path / "again"))
    (again / ".git").mkdir()
    (again / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (again / "stale.txt").write_text("old")
    assert main(["--course", str(ROOT), "release", str(again), "--force"]) == 0
    assert (again / ".git" / "HEAD").exists() and not (again / "stale.txt").exists()
    assert "is not empty" in " ".join(capsys.readouterr().err.split())
