"""Gradescope bundles for the tests, and Gradescope's /autograder laid out in a temporary root."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from grader.cli import main
from tests.conftest import ROOT

# Gradescope's documented fields (gradescope-autograders.readthedocs.io, specs).
_TOP = {"score", "execution_time", "output", "output_format", "test_output_format",
        "test_name_format", "visibility", "stdout_visibility", "extra_data", "leaderboard",
        "tests"}
_TEST = {"score", "max_score", "status", "name", "name_format", "number", "output",
         "output_format", "tags", "visibility", "extra_data"}
_FORMATS = {"text", "html", "simple_format", "md", "ansi"}
_VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}


@dataclass(frozen=True)
class Run:
    """One run of the bundle's run_autograder: its exit code, its log and results.json."""

    code: int
    log: str
    results: dict[str, Any]


RunAutograder = Callable[..., Run]


def unpack(bundle: Path, target: Path) -> Path:
    """Unpack as unzip does: each file with the permission bits the zip records."""
    with zipfile.ZipFile(bundle) as archive:
        for info in archive.infolist():
            path = archive.extract(info, target)
            os.chmod(path, (info.external_attr >> 16) & 0o777)
    return target


def assert_gradescope_results(data: dict[str, Any]) -> None:
    """`data` holds only Gradescope's documented fields, with their types and values."""
    assert set(data) <= _TOP, set(data) - _TOP
    assert "score" in data or all("score" in t for t in data.get("tests", []))
    if "score" in data:
        assert isinstance(data["score"], int | float) and data["score"] >= 0
    for key in ("output_format", "test_output_format"):
        assert data.get(key, "text") in _FORMATS
    for key in ("visibility", "stdout_visibility"):
        assert data.get(key, "visible") in _VISIBILITIES
    assert isinstance(data.get("output", ""), str)
    assert isinstance(data.get("execution_time", 0), int | float)
    assert isinstance(data.get("extra_data", {}), dict)
    tests = data.get("tests", [])
    assert isinstance(tests, list)
    for test in tests:
        assert set(test) <= _TEST, set(test) - _TEST
        assert isinstance(test["name"], str) and test["name"]
        assert isinstance(test["number"], str)
        assert isinstance(test["score"], int | float) and isinstance(test["max_score"], int | float)
        assert 0 <= test["score"] <= test["max_score"]
        assert test["status"] in ("passed", "failed")
        assert isinstance(test["output"], str)
        assert test.get("output_format", "text") in _FORMATS
        assert test.get("visibility", "visible") in _VISIBILITIES
        assert all(isinstance(tag, str) for tag in test.get("tags", []))
    if tests and "score" in data:
        assert data["score"] == pytest.approx(sum(t["score"] for t in tests))
        assert data["score"] <= sum(t["max_score"] for t in tests)


def build(out: Path, *args: str) -> Path:
    assert main(["--course", str(ROOT), "gradescope", str(out), *args]) == 0
    return out


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The course's bundle with default settings, built once."""
    return build(tmp_path_factory.mktemp("bundle") / "autograder.zip")


@pytest.fixture
def autograder_root(bundle: Path, tmp_path: Path) -> Callable[..., Path]:
    """A root laid out as Gradescope lays out /autograder: source/ (the unpacked bundle),
    run_autograder copied beside it, submission/, results/ and the submission's metadata."""

    def lay_out(source: Path = bundle, metadata: object = None) -> Path:
        root = tmp_path / "autograder"
        unpack(source, root / "source")
        shutil.copy2(root / "source" / "run_autograder", root / "run_autograder")
        (root / "submission").mkdir()
        (root / "results").mkdir()
        users = [{"email": "gina@example.edu", "id": 123456, "name": "Gina Ortiz"}]
        data = {"id": 987, "users": users} if metadata is None else metadata
        (root / "submission_metadata.json").write_text(json.dumps(data))
        return root

    return lay_out


@pytest.fixture
def run_autograder() -> RunAutograder:
    """Run the root's real run_autograder with bash, the test's Python in place of the image's."""

    def run(root: Path, **env: str) -> Run:
        environ = {**os.environ, "DESCENT_AUTOGRADER_ROOT": str(root),
                   "DESCENT_PYTHON": sys.executable, **env}
        done = subprocess.run(["bash", str(root / "run_autograder")], cwd=root, env=environ,
                              capture_output=True, text=True, timeout=600)
        results = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
        assert_gradescope_results(results)
        return Run(done.returncode, done.stdout + done.stderr, results)

    return run
