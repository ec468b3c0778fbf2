"""The contract every check fulfils: draw cases, then assess the validated answers."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader.checks.raised import RaisedError
from grader.i18n import _
from grader.model import Counterexample, Diagnosis, Sample, Verdict
from grader.sandbox import CallOutcome
from grader.wire import to_plain

__all__ = ["Assessment", "Call", "Case", "Check", "Mistake", "Run"]


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

    A mistaken formula may raise where the truth does not (a product whose shapes do not
    fit). When the student's call raised on a case, the mistake is named only if `answer`
    raises a shape error on that case too and, with `probes`, the student's function returns
    the mistake's value, not the truth's, on every probe (cases where the formula fits and
    tells the two apart); without `probes`, only if both raised exactly the same message
    (for errors whose text pins the operands, such as torch naming both shapes).
    """

    name: str
    message: str
    answer: Callable[[Case], Any] = field(compare=False)
    probes: Callable[[Case], list[Case]] | None = field(default=None, compare=False)

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

    def rehearse(self, args: list[Any], helpers: dict[str, Callable[..., Any]]) -> None:
        """Call `helpers` (the true graded helpers) as a right version of the function would
        on `args`, in the parent: a re-run with the true helpers (grader.tracing) then finds
        their answers ready instead of asking for each call. Grader code only; optional."""
        return None  # by default nothing is answered ahead: each call asks

    def explain_error(self, case: Case, error: RaisedError, call: Call) -> Diagnosis | None:
        """A named mistake that explains why the student's function raised `error` on `case`.

        `error` is the exception's plain text from the child (untrusted: match it only against
        known patterns); `call` runs the student's function on more cases, as for `evidence`.
        The verdict stays an error whatever this returns.
        """
        return None

