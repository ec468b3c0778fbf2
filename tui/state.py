"""What the tutor knows: each test's latest verdict, each exercise's status, hints and points."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from grader.i18n import N_, _
from grader.model import CheckResult, SubmissionResult, Verdict
from grader.progress import ProgressStore
from tui.outline import CourseOutline, ExerciseInfo, TestInfo

__all__ = ["ExerciseState", "Status", "TestState", "Tutor"]


class Status(StrEnum):
    """An exercise's state in the list (the value is the English word, the catalogue key)."""

    NOT_STARTED = N_("not started")
    FAILING = N_("failing")
    PASSING = N_("passing")
    UNDECIDED = N_("undecided")
    CHECKING = N_("checking")

    @property
    def label(self) -> str:
        """The word shown, in the language in use."""
        return _(self.value)

    @property
    def symbol(self) -> str:
        return _SYMBOLS[self]

    @property
    def style(self) -> str:
        return _STYLES[self]


_SYMBOLS = {Status.NOT_STARTED: "·", Status.FAILING: "✘", Status.PASSING: "✔",
            Status.UNDECIDED: "?", Status.CHECKING: "…"}
_STYLES = {Status.NOT_STARTED: "dim", Status.FAILING: "red", Status.PASSING: "green",
           Status.UNDECIDED: "yellow", Status.CHECKING: "cyan"}
_FAILING = {Verdict.FAILED, Verdict.ERROR}


@dataclass
class TestState:
    """One test: its fresh result, or the verdict remembered from an earlier session."""

    __test__ = False  # not a pytest test class, despite the name

    info: TestInfo
    name: str
    result: CheckResult | None = None
    saved: dict[str, Any] = field(default_factory=dict)
    hints_seen: int = 0

    @property
    def verdict(self) -> Verdict | None:
        if self.result is not None:
            return self.result.verdict
        try:
            return Verdict(self.saved["verdict"])
        except (KeyError, ValueError):
            return None

    @property
    def score(self) -> float:
        if self.result is not None:
            return self.result.score
        return float(self.saved.get("score", 0.0) or 0.0)

    @property
    def max_score(self) -> float | None:
        if self.result is not None:
            return self.result.max_score
        if "max_score" in self.saved:
            return float(self.saved["max_score"])
        return self.info.points

    @property
    def open_hints(self) -> tuple[str, ...]:
        return self.info.hints[: self.hints_seen]


@dataclass
class ExerciseState:
    """One exercise: its tests, whether it is being checked, and the grader's last complaint."""

    info: ExerciseInfo
    tests: list[TestState]
    checking: bool = False
    error: str | None = None  # the grader itself failed (crash, timeout): not a verdict
    selected: int = 0
    pinned: bool = False  # the student picked a test by hand: results must not move it
    checks_done: int = 0

    @property
    def status(self) -> Status:
        if self.checking:
            return Status.CHECKING
        verdicts = [t.verdict for t in self.tests]
        if all(v in (None, Verdict.NOT_ATTEMPTED) for v in verdicts):
            return Status.NOT_STARTED
        if all(v is Verdict.PASSED for v in verdicts):
            return Status.PASSING
        if any(v in _FAILING for v in verdicts) or Verdict.UNDECIDED not in verdicts:
            return Status.FAILING
        return Status.UNDECIDED

    @property
    def score(self) -> float:
        return sum(t.score for t in self.tests)

    @property
    def max_score(self) -> float | None:
        scores = [t.max_score for t in self.tests]
        return None if any(s is None for s in scores) else sum(s for s in scores if s)

    @property
    def selected_test(self) -> TestState:
        return self.tests[self.selected]

    def select_first_open(self) -> None:
        """Point at the first test that is not passing yet (where a hint would help)."""
        for index, test in enumerate(self.tests):
            if test.verdict is not Verdict.PASSED:
                self.selected = index
                return


class Tutor:
    """The course state behind the screen, kept in step with the local progress store."""

    def __init__(self, outline: CourseOutline, store: ProgressStore) -> None:
        self.outline = outline
        self.store = store
        data = store.load()
        saved: dict[str, Any] = data.get("results", {}) if isinstance(data, dict) else {}
        hints: dict[str, Any] = data.get("hints", {}) if isinstance(data, dict) else {}
        self.exercises = [
            ExerciseState(info, [self._test(info, test, saved, hints) for test in info.tests])
            for info in outline.exercises
        ]
        for entry in self.exercises:
            entry.select_first_open()
        self._by_id = {entry.info.id: entry for entry in self.exercises}

    @staticmethod
    def _test(info: ExerciseInfo, test: TestInfo, saved: dict[str, Any],
              hints: dict[str, Any]) -> TestState:
        name = info.test_name(test.function)
        record = saved.get(name)
        seen = hints.get(name, 0)
        return TestState(test, name, saved=record if isinstance(record, dict) else {},
                         hints_seen=min(int(seen) if isinstance(seen, int) else 0,
                                        len(test.hints)))

    def __getitem__(self, exercise_id: str) -> ExerciseState:
        return self._by_id[exercise_id]

    def mark_checking(self, exercise_ids: Iterable[str], checking: bool = True) -> None:
        for exercise_id in exercise_ids:
            self._by_id[exercise_id].checking = checking

    def apply(self, result: SubmissionResult) -> list[str]:
        """Take in fresh results, remember them on disk; returns the exercises they touched."""
        touched: list[str] = []
        for exercise_id, results in result.by_exercise().items():
            entry = self._by_id.get(exercise_id)
            if entry is None:
                continue
            tests = {t.info.function: t for t in entry.tests}
            for check in results:
                if check.function in tests:
                    tests[check.function].result = check
            entry.checking, entry.error = False, None
            entry.checks_done += 1
            if not entry.pinned:
                entry.select_first_open()
            touched.append(exercise_id)
        # A read-only course folder must not hide verdicts: they show, unsaved.
        with contextlib.suppress(OSError):
            self.store.record_results({
                t.test: {"verdict": t.verdict.value, "score": t.score, "max_score": t.max_score}
                for t in result.tests
            })
        return touched

    def fail(self, exercise_id: str, message: str) -> None:
        """The grader could not answer for this exercise; earlier verdicts stay as they were."""
        entry = self._by_id[exercise_id]
        entry.checking, entry.error = False, message
        entry.checks_done += 1

    def move_test(self, exercise_id: str, step: int) -> None:
        entry = self._by_id[exercise_id]
        entry.selected = (entry.selected + step) % len(entry.tests)
        entry.pinned = True

    def reveal_hint(self, exercise_id: str) -> tuple[TestState, bool]:
        """Show one more hint tier of the selected test; False when none was left."""
        test = self._by_id[exercise_id].selected_test
        tiers = len(test.info.hints)
        if not tiers or test.hints_seen >= tiers:
            return test, False
        try:
            test.hints_seen = self.store.reveal_hint(test.name, tiers)
        except OSError:  # cannot record it: still show it, the student asked for it
            test.hints_seen += 1
        return test, True

    @property
    def earned(self) -> float:
        return sum(entry.score for entry in self.exercises)

    @property
    def possible(self) -> float | None:
        """The course's total points, or None while some test's points are still unknown."""
        totals = [entry.max_score for entry in self.exercises]
        return None if any(t is None for t in totals) else sum(t for t in totals if t)

    @property
    def passing(self) -> int:
        return sum(entry.status is Status.PASSING for entry in self.exercises)
