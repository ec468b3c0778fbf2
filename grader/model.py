"""The one result model: a verdict per test with its evidence; every renderer formats this."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = [
    "CheckResult",
    "Counterexample",
    "Diagnosis",
    "Sample",
    "SubmissionResult",
    "Verdict",
]


class Verdict(StrEnum):
    """What the grader decided about one test."""

    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"  # the student's code crashed, hung, or returned something unusable
    UNDECIDED = "undecided"  # the grader could not decide in time: neither pass nor fail
    NOT_ATTEMPTED = "not_attempted"  # missing file or function, or the stub is untouched

    @property
    def symbol(self) -> str:
        return _SYMBOLS[self]


_SYMBOLS = {
    Verdict.PASSED: "✔",
    Verdict.FAILED: "✘",
    Verdict.ERROR: "‼",
    Verdict.UNDECIDED: "?",
    Verdict.NOT_ATTEMPTED: "·",
}


@dataclass(frozen=True)
class Diagnosis:
    """A recognised, named mistake (e.g. `sign-flipped`) with a message aimed at it."""

    name: str
    message: str


@dataclass(frozen=True)
class Counterexample:
    """One input on which the answer differs from the truth, as plain printable data."""

    inputs: dict[str, Any]
    expected: Any
    actual: Any
    working: str = ""  # both values worked out in one line, where a student can check them


@dataclass(frozen=True)
class Sample:
    """One call of the student's function kept for the tutor's plots, as plain data.

    Evidence, never a verdict: it is recorded on a pass as on a failure so that the tutor can
    draw the student's own values; `expected` is the truth where the check worked it out.
    """

    label: str
    inputs: dict[str, Any]
    actual: Any
    expected: Any = None


@dataclass(frozen=True)
class CheckResult:
    """The verdict on one test (`"<exercise id>:<function>"`) and the evidence behind it."""

    exercise: str
    function: str
    verdict: Verdict
    score: float
    max_score: float
    rationale: str
    expected: Any = None
    actual: Any = None
    counterexample: Counterexample | None = None
    diagnosis: Diagnosis | None = None
    hints: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    output: str = ""
    duration: float = 0.0
    file: str = ""
    line: int | None = None
    evidence: tuple[Sample, ...] = ()

    @property
    def test(self) -> str:
        return f"{self.exercise}:{self.function}"

    @property
    def passed(self) -> bool:
        return self.verdict is Verdict.PASSED

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON. Built field by field: `dataclasses.asdict` deep-copies every
        value, which made it the costliest step of writing a class's outputs."""
        example = self.counterexample
        diagnosis = self.diagnosis
        return {
            "exercise": self.exercise,
            "function": self.function,
            "verdict": self.verdict.value,
            "score": self.score,
            "max_score": self.max_score,
            "rationale": self.rationale,
            "expected": self.expected,
            "actual": self.actual,
            "counterexample": None if example is None else {
                "inputs": example.inputs, "expected": example.expected, "actual": example.actual,
                "working": example.working},
            "diagnosis": None if diagnosis is None else {
                "name": diagnosis.name, "message": diagnosis.message},
            "hints": list(self.hints),
            "notes": list(self.notes),
            "output": self.output,
            "duration": self.duration,
            "file": self.file,
            "line": self.line,
            "evidence": [{"label": s.label, "inputs": s.inputs, "actual": s.actual,
                          "expected": s.expected} for s in self.evidence],
            "test": self.test,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckResult:
        fields = {k: v for k, v in data.items() if k != "test"}
        fields["verdict"] = Verdict(fields["verdict"])
        if fields.get("counterexample") is not None:
            fields["counterexample"] = Counterexample(**fields["counterexample"])
        if fields.get("diagnosis") is not None:
            fields["diagnosis"] = Diagnosis(**fields["diagnosis"])
        fields["hints"] = tuple(fields.get("hints", ()))
        fields["notes"] = tuple(fields.get("notes", ()))
        fields["evidence"] = tuple(Sample(**s) for s in fields.get("evidence", ()))
        return cls(**fields)


@dataclass(frozen=True)
class SubmissionResult:
    """Every test's result for one submission, with what is needed to reproduce it."""

    name: str
    tests: tuple[CheckResult, ...]
    execution_time: float
    grader_version: str
    seed: int
    isolation: str
    notes: tuple[str, ...] = field(default=())

    @property
    def score(self) -> float:
        return round(sum(t.score for t in self.tests), 6)

    @property
    def max_score(self) -> float:
        return round(sum(t.max_score for t in self.tests), 6)

    @property
    def all_passed(self) -> bool:
        return all(t.passed for t in self.tests)

    def by_exercise(self) -> dict[str, list[CheckResult]]:
        groups: dict[str, list[CheckResult]] = {}
        for result in self.tests:
            groups.setdefault(result.exercise, []).append(result)
        return groups

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "score": self.score,
            "max_score": self.max_score,
            "execution_time": self.execution_time,
            "grader_version": self.grader_version,
            "seed": self.seed,
            "isolation": self.isolation,
            "notes": list(self.notes),
            "tests": [t.to_dict() for t in self.tests],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SubmissionResult:
        return cls(
            name=data["name"],
            tests=tuple(CheckResult.from_dict(t) for t in data["tests"]),
            execution_time=data["execution_time"],
            grader_version=data["grader_version"],
            seed=data["seed"],
            isolation=data["isolation"],
            notes=tuple(data.get("notes", ())),
        )
