"""The contract every check fulfils: draw cases, then assess the validated answers."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader.i18n import _
from grader.model import Counterexample, Diagnosis, Sample, Verdict
from grader.sandbox import CallOutcome
from grader.wire import describe, to_plain

__all__ = ["EVIDENCE_NUMBERS", "Assessment", "Call", "Case", "Check", "Mistake", "Run",
           "also_on", "exact", "recorded"]

# The most numbers one test's evidence may hold: enough for a curve, small in results.json.
EVIDENCE_NUMBERS = 600


@dataclass(frozen=True)
class Case:
    """One call the grader makes: its inputs, drawn by the parent, and how to show them."""

    label: str
    args: tuple[Any, ...] = ()
    names: tuple[str, ...] = ()
    watch: tuple[int, ...] = ()  # arguments the function must not modify
    seed: int = 0
    device: str = "cpu"

    def shown_inputs(self) -> dict[str, Any]:
        return {name: to_plain(arg) for name, arg in zip(self.names, self.args, strict=False)}


@dataclass(frozen=True)
class Run:
    """A case together with what came back from the child for it."""

    case: Case
    outcome: CallOutcome


@dataclass(frozen=True)
class Assessment:
    """A check's judgement of the answers, before the engine adds points and hints."""

    verdict: Verdict
    rationale: str
    expected: Any = None
    actual: Any = None
    counterexample: Counterexample | None = None
    diagnosis: Diagnosis | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mistake:
    """A named wrong answer built from the truth, with the message that targets it.

    `answer` gives the wrong answer for a case: a value for numeric checks, a SymPy
    expression for symbolic ones. `message` is the English catalogue key (mark it with
    `N_`); the diagnosis carries it in the language of the run.
    """

    name: str
    message: str
    answer: Callable[[Case], Any] = field(compare=False)

    def diagnosis(self) -> Diagnosis:
        return Diagnosis(self.name, _(self.message))


# The student's function on more cases: the values it returned, up to the first that did not.
Call = Callable[[list[Case]], list[Any]]


class Check(ABC):
    """One graded function: `cases` draws inputs, `assess` judges the returned values."""

    function: str
    points: float

    @abstractmethod
    def cases(self, rng: np.random.Generator, *, cuda: bool) -> list[Case]:
        """The calls to make, drawn from `rng` (seeded per submission and test)."""

    @abstractmethod
    def assess(self, runs: list[Run]) -> Assessment:
        """Judge runs that all returned a value (errors are handled by the engine)."""

    def notes(self, *, cuda: bool) -> tuple[str, ...]:
        """Remarks that hold whatever the answer (e.g. a part skipped on this machine)."""
        return ()

    def evidence(self, runs: list[Run], call: Call) -> tuple[Sample, ...]:
        """What the tutor's plots draw of the student's own answers, on a pass as on a failure.

        `call` runs the student's function on more cases (bounded by the engine's deadlines)
        and returns the values up to the first case that did not return. Never judged.
        """
        return ()


def exact(value: Any) -> Any:
    """A value as plain data at full precision (to_plain rounds for reading; plots must not)."""
    if isinstance(value, np.ndarray | np.generic):
        return value.tolist()
    if isinstance(getattr(value, "values", None), np.ndarray):  # answers and tensor inputs
        return value.values.tolist()
    if isinstance(value, list | tuple):
        return [exact(item) for item in value]
    if type(value) in (bool, int, float, str) or value is None:
        return value
    shown = to_plain(value)  # e.g. a gradient function, by its description
    return shown if type(shown) is str else describe(value)


def _size(value: Any) -> int:
    return sum(_size(item) for item in value) if isinstance(value, list) else 1


def recorded(runs: list[Run], budget: int = EVIDENCE_NUMBERS) -> tuple[Sample, ...]:
    """The graded runs as samples, in order, each whole or not at all, within `budget` numbers."""
    return _within(((run.case, run.outcome.value) for run in runs), budget)


def also_on(*cases: Case) -> Callable[[list[Run], Call], tuple[Sample, ...]]:
    """Evidence of the student's answers on `cases` (e.g. a grid to draw a curve on), then of
    the graded runs as far as the budget allows."""

    def evidence(runs: list[Run], call: Call) -> tuple[Sample, ...]:
        extra = _within(zip(cases, call(list(cases)), strict=False), EVIDENCE_NUMBERS)
        used = sum(_sample_size(sample) for sample in extra)
        return extra + recorded(runs, EVIDENCE_NUMBERS - used)

    return evidence


def _within(answers: Iterable[tuple[Case, Any]], budget: int) -> tuple[Sample, ...]:
    samples: list[Sample] = []
    for case, value in answers:
        inputs = {name: exact(arg) for name, arg in zip(case.names, case.args, strict=False)}
        sample = Sample(case.label, inputs, exact(value))
        if _sample_size(sample) <= budget:
            samples.append(sample)
            budget -= _sample_size(sample)
    return tuple(samples)


def _sample_size(sample: Sample) -> int:
    return _size(sample.actual) + sum(_size(value) for value in sample.inputs.values())
