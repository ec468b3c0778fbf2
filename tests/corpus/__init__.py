"""The corpus of realistic wrong submissions to every exercise: its manifest, and grading one
entry."""

from __future__ import annotations

import shutil
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from grader.course import find_exercise
from grader.engine import Settings, grade
from grader.model import CheckResult, Verdict
from grader.sandbox import Limits

__all__ = ["CORPUS", "ENTRIES", "FAILING", "Entry", "grade_entry"]

CORPUS = Path(__file__).resolve().parent
# A wrong submission's test fails, or raises (a product whose shapes do not fit).
FAILING = frozenset({Verdict.FAILED, Verdict.ERROR})
_SETTINGS = Settings(limits=Limits(call_seconds=5.0, import_seconds=10.0))


@dataclass(frozen=True)
class Entry:
    """One wrong submission: its file, and per function it gets wrong the id expected ("" when
    only the failure is pinned)."""

    name: str  # "<exercise id>/<file stem>"
    expected: dict[str, str]

    @property
    def exercise(self) -> str:
        return self.name.split("/", 1)[0]

    @property
    def path(self) -> Path:
        return CORPUS / f"{self.name}.py"


def _load() -> tuple[Entry, ...]:
    manifest = tomllib.loads((CORPUS / "manifest.toml").read_text(encoding="utf-8"))
    return tuple(Entry(name, dict(targets)) for name, targets in manifest.items())


ENTRIES = _load()


def grade_entry(entry: Entry) -> dict[str, CheckResult]:
    """The entry's file graded alone as its exercise: the result of each of its tests."""
    exercise = find_exercise(entry.exercise)
    with tempfile.TemporaryDirectory(prefix="descent-corpus-") as scratch:
        folder = Path(scratch) / "exercises"
        folder.mkdir()
        shutil.copyfile(entry.path, folder / exercise.filename)
        result = grade(folder, name=entry.name, exercises=[exercise], settings=_SETTINGS)
    return {test.function: test for test in result.tests}
