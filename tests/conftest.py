"""Shared fixtures: course copies and submissions built from the stubs and the solutions."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from grader.course import CATALOG, find_exercise
from grader.engine import Settings, grade
from grader.model import SubmissionResult
from grader.sandbox import Limits

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"
SOLUTIONS = ROOT / "solutions"

# Short limits keep the hang tests fast; still far above what any correct answer needs.
FAST = Settings(limits=Limits(call_seconds=2.0, import_seconds=3.0))

Build = Callable[..., Path]

# In CI the property tests replay the same examples every run: a new find should fail a
# developer's run (random there) rather than one landing in ten.
hypothesis_settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "linux_layers: needs today's Linux isolation layers "
                            "(deselected in the DESCENT_ISOLATION=portable pass)")


@pytest.fixture
def make_submission(tmp_path: Path) -> Build:
    """A submission folder: solutions (or stubs) everywhere, with given files replaced."""

    def build(name: str = "student", base: Path = SOLUTIONS, **files: str | bytes | None) -> Path:
        folder = tmp_path / name / "exercises"
        shutil.copytree(base, folder)
        for exercise_id, content in files.items():
            target = folder / find_exercise(exercise_id.removeprefix("exercise")).filename
            if content is None:
                target.unlink()
            elif isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        return folder

    return build


def grade_one(folder: Path, exercise: str, name: str = "student") -> SubmissionResult:
    """Grade a single exercise of a submission (fast path for focused tests)."""
    return grade(folder, name=name, exercises=[find_exercise(exercise)], settings=FAST)


@pytest.fixture(scope="session")
def solutions_result() -> SubmissionResult:
    return grade(SOLUTIONS, name="solutions", exercises=CATALOG, settings=FAST)


@pytest.fixture(scope="session")
def stubs_result() -> SubmissionResult:
    return grade(EXERCISES, name="stubs", exercises=CATALOG, settings=FAST)
