"""Released repos for the tests: one release per session, copies of it, in-process `descent ci`."""

from __future__ import annotations

import base64
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from grader.cli import main
from tests.conftest import ROOT


@dataclass(frozen=True)
class CiRun:
    """What one `descent ci` run left: exit code, log, step summary, `result` and artifacts."""

    code: int
    log: str
    errors: str
    summary: str
    classroom: dict[str, Any] | None
    artifacts: Path

    def commands(self, kind: str) -> list[str]:
        return [line for line in self.log.splitlines() if line.startswith(f"::{kind} ")]


RunCi = Callable[..., CiRun]


@pytest.fixture(scope="session")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A release of this course, written once; tests work on copies of it."""
    out = tmp_path_factory.mktemp("release") / "assignment"
    assert main(["--course", str(ROOT), "release", str(out)]) == 0
    return out


@pytest.fixture
def student_repo(released: Path, tmp_path: Path) -> Path:
    """A student's copy of the release (named as a Classroom repo would be)."""
    return Path(shutil.copytree(released, tmp_path / "assignment-alice"))


@pytest.fixture
def run_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
           capsys: pytest.CaptureFixture[str]) -> RunCi:
    """Run `descent ci` in a repo with GitHub's summary and output files pointed at temp files."""

    def run(repo: Path, *args: str) -> CiRun:
        github = tmp_path / f"github-{len(list(tmp_path.glob('github-*')))}"
        github.mkdir()
        monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(github / "summary.md"))
        monkeypatch.setenv("GITHUB_OUTPUT", str(github / "output"))
        monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
        monkeypatch.chdir(repo)
        capsys.readouterr()
        code = main(["ci", *args])
        captured = capsys.readouterr()
        summary = github / "summary.md"
        return CiRun(code, captured.out, captured.err,
                     summary.read_text(encoding="utf-8") if summary.exists() else "",
                     _decode_result(github / "output"), repo / "descent-results")

    return run


def _decode_result(output: Path) -> dict[str, Any] | None:
    if not output.exists():
        return None
    lines = [line for line in output.read_text().splitlines() if line.startswith("result=")]
    assert len(lines) == 1, lines
    return json.loads(base64.b64decode(lines[0].removeprefix("result="), validate=True))
