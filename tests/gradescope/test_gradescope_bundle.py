"""`descent gradescope`: the bundle's layout, its pins, its secret, and no solution in it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from grader import __version__
from grader.gradescope.bundle import CONFIG, SECRET, build_bundle
from grader.release.build import ReleaseError
from grader.release.leaks import find_leaks
from grader.release.manifest import MANIFEST, digest
from grader.release.templates import TORCH
from grader.secret import identity
from tests.conftest import EXERCISES, ROOT, SOLUTIONS
from tests.gradescope.conftest import build, unpack


def test_scripts_sit_at_the_root_executable_and_valid_bash(bundle: Path, tmp_path: Path):
    names = zipfile.ZipFile(bundle).namelist()
    assert {"setup.sh", "run_autograder"} <= set(names)
    assert not any(name.startswith("/") or ".." in name.split("/") for name in names)
    source = unpack(bundle, tmp_path / "source")
    for script in ("setup.sh", "run_autograder"):
        assert os.access(source / script, os.X_OK), script
        assert (source / script).read_text().startswith("#!/usr/bin/env bash\n")
        assert subprocess.run(["bash", "-n", str(source / script)]).returncode == 0
    assert (source / SECRET).stat().st_mode & 0o077 == 0  # the grading secret: root's alone


def test_torch_cpu_and_this_very_grader_are_pinned(bundle: Path, tmp_path: Path):
    source = unpack(bundle, tmp_path / "source")
    setup = (source / "setup.sh").read_text()
    assert f'pip install "torch=={TORCH}" --index-url https://download.pytorch.org/whl/cpu' \
        in setup
    assert setup.index("torch==") < setup.index('pip install "$SOURCE/.descent/package"')
    assert "autograde --check-install" in setup
    manifest = json.loads((source / MANIFEST).read_text())
    assert manifest["descent_version"] == __version__
    assert json.loads((source / CONFIG).read_text())["descent_version"] == __version__
    for name, expected in manifest["files"].items():
        assert digest((source / name).read_bytes()) == expected, name
    # File for file against the running grader: test_the_check_install_step_… (this tree
    # is edited while the tests run, so a session-old bundle is compared by version here).
    package = source / ".descent" / "package"
    for name in ("pyproject.toml", "grader/__init__.py"):
        assert (package / name).read_bytes() == (ROOT / name).read_bytes(), name
    assert {p.relative_to(package).parts[0] for p in package.rglob("*.py")} == {"grader", "tui"}


def test_no_solution_code_is_in_the_bundle(bundle: Path, tmp_path: Path):
    source = unpack(bundle, tmp_path / "source")
    assert find_leaks(source, SOLUTIONS, EXERCISES) == []
    names = zipfile.ZipFile(bundle).namelist()
    assert not [n for n in names if "solutions" in n.split("/") or n.endswith((".pyc", ".pyo"))]


def test_a_course_whose_grader_holds_a_solution_gets_no_bundle(tmp_path: Path):
    course = tmp_path / "course"
    for folder in ("grader", "tui", "exercises", "solutions"):
        shutil.copytree(ROOT / folder, course / folder,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", course / "pyproject.toml")
    shutil.copy(SOLUTIONS / "03_update_step.py", course / "grader" / "reference.py")
    with pytest.raises(ReleaseError, match=r"solutions/03_update_step\.py"):
        build_bundle(course, tmp_path / "autograder.zip")
    assert not (tmp_path / "autograder.zip").exists()


def test_the_secret_is_the_given_one_or_a_new_one_per_bundle(tmp_path: Path):
    secret = tmp_path / "class.secret"
    secret.write_text("s3cret-of-the-whole-course-2026\n")
    given = build_bundle(ROOT, tmp_path / "given.zip", secret_file=secret)
    assert zipfile.ZipFile(given.path).read(SECRET).decode().strip() == secret.read_text().strip()
    assert given.secret_identity == identity(secret.read_text().strip().encode())
    first = zipfile.ZipFile(build(tmp_path / "first.zip")).read(SECRET)
    second = zipfile.ZipFile(build(tmp_path / "second.zip")).read(SECRET)
    assert first != second and len(first.strip()) == 64


def test_bad_requests_are_refused_with_a_next_step(tmp_path: Path, bundle: Path):
    from grader.cli import main

    assert main(["--course", str(ROOT), "gradescope", str(tmp_path / "bundle.tar")]) == 2
    existing = shutil.copy(bundle, tmp_path / "autograder.zip")
    assert main(["--course", str(ROOT), "gradescope", str(existing)]) == 2
    assert main(["--course", str(ROOT), "gradescope", str(existing), "--force"]) == 0
    assert zipfile.ZipFile(existing).read(SECRET) != zipfile.ZipFile(bundle).read(SECRET)
