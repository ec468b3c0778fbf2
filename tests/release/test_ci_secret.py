"""`descent ci` with and without the organisation's grading secret."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from grader.secret import SECRET_ENV, identity
from tests.conftest import SOLUTIONS
from tests.release.conftest import RunCi


def _solve(repo: Path) -> None:
    for path in SOLUTIONS.glob("*.py"):
        shutil.copy(path, repo / "exercises" / path.name)


def test_ci_without_a_secret_says_the_grade_is_preliminary(
    student_repo: Path, run_ci: RunCi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SECRET_ENV, raising=False)
    _solve(student_repo)
    run = run_ci(student_repo)
    assert run.code == 0
    assert "Preliminary grade" in run.summary and SECRET_ENV in run.summary
    assert "Preliminary grade" in run.log


def test_ci_with_the_secret_draws_from_it_and_never_prints_it(
    student_repo: Path, run_ci: RunCi, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "organisation-secret-" + "7" * 24
    monkeypatch.setenv(SECRET_ENV, secret)
    _solve(student_repo)
    run = run_ci(student_repo)
    assert run.code == 0
    assert "Preliminary" not in run.summary
    recorded = json.loads((run.artifacts / "descent.json").read_text(encoding="utf-8"))
    assert recorded["seed"] == identity(secret.encode())
    everything = run.log + run.summary + "".join(
        p.read_text(encoding="utf-8") for p in run.artifacts.iterdir())
    assert secret not in everything
