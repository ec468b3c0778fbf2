"""Numeric checks: answers compared with a float64 truth on parent-drawn inputs, with diagnoses."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader.checks.base import Assessment, Call, Case, Check, Mistake, Run
from grader.checks.evidence import Evidence, recorded
from grader.checks.fingerprints import Failure, as_array, as_float, fingerprint
from grader.checks.raised import RaisedError, is_shape_error, reproduce
from grader.i18n import N_, _, ngettext
from grader.model import Counterexample, Diagnosis, Sample, Verdict
from grader.wire import ArrayAnswer, describe, to_plain

__all__ = ["Mismatch", "NumericCheck", "TensorTruth", "mismatch"]


@dataclass(frozen=True)
class TensorTruth:
    """The expected torch tensor: values, and the dtype and device the answer must have."""

    values: np.ndarray = field(compare=False)
    dtype: str = "float64"
    device: str = "cpu"


@dataclass(frozen=True)
class Mismatch:
    """Why an answer differs from what was expected; `kind` names the generic diagnosis."""

    kind: str
    message: str


_GENERIC = {
    "not-finite": N_("A NaN or infinity never passes. Look for an overflow (e.g. exp of a "
                     "large number) or a division by zero."),
    "wrong-type": N_("The value has the wrong type: check what the function is asked to "
                     "return."),
    "wrong-shape": N_("The numbers may be right but the shape is not: check transposes, sums "
                      "that drop a dimension, and keepdim."),
    "wrong-device": N_("The result must stay on the inputs' device: build new tensors with "
                       "device=x.device (or from operations on the inputs)."),
    "wrong-dtype": N_("The result must keep the inputs' dtype: avoid creating float32 tensors "
                      "with torch.tensor(...) without dtype=x.dtype."),
    "mutated-input": N_("The function changed its input array in place (e.g. `w -= …`). "
                        "Return a new value instead: the caller's array must stay as it was."),
    "wrong-length": N_("The list has the wrong number of entries."),
}


# Failures a fingerprint may explain: the numbers are off, not their kind, device or dtype.
_FINGERPRINTED = frozenset({"wrong-value", "wrong-shape", "wrong-length"})


def mismatch(answer: Any, expected: Any, rtol: float, atol: float) -> Mismatch | None:
    """None when `answer` matches `expected` within tolerance; otherwise why not."""
    if isinstance(expected, TensorTruth):
        return _tensor_mismatch(answer, expected, rtol, atol)
    if isinstance(expected, tuple | list):
        if not isinstance(answer, list):
            return Mismatch("wrong-type", _("expected a sequence, got {value}").format(
                value=describe(answer)))
        if len(answer) != len(expected):
            return Mismatch("wrong-length", _("expected {expected} values, got {got}").format(
                expected=len(expected), got=len(answer)))
        for index, (got, want) in enumerate(zip(answer, expected, strict=True)):
            problem = mismatch(got, want, rtol, atol)
            if problem is not None:
                return Mismatch(problem.kind, _("at index {index}: {problem}").format(
                    index=index, problem=problem.message))
        return None
    if isinstance(expected, float) and type(answer) in (int, float):
        return _number_mismatch(answer, expected, rtol, atol)
    want = np.asarray(expected, dtype=np.float64)
    got = as_array(answer, scalar=want.ndim == 0)
    if got is None:
        wanted = (_("expected a number, got {value}") if want.ndim == 0
                  else _("expected an array of shape {shape}, got {value}"))
        return Mismatch("wrong-type", wanted.format(shape=want.shape, value=describe(answer)))
    return _values_mismatch(got, want, rtol, atol)


def _number_mismatch(answer: int | float, want: float, rtol: float, atol: float
                     ) -> Mismatch | None:
    """`_values_mismatch` for one number against one float, without NumPy's per-call cost
    (most answers are one number, compared thousands of times a class)."""
    got = as_float(answer)
    if not math.isfinite(got):
        return _not_finite()
    error = abs(got - want)
    if error <= atol + rtol * abs(want):
        return None
    return _wrong_value(error)


def _not_finite() -> Mismatch:
    return Mismatch("not-finite", _("the answer contains NaN, infinity or a number beyond "
                                    "float64's range"))


def _wrong_value(worst: float) -> Mismatch:
    return Mismatch("wrong-value", _("values differ from the truth (largest error {error})")
                    .format(error=f"{worst:.3g}"))


def _values_mismatch(
    got: np.ndarray, want: np.ndarray, rtol: float, atol: float
) -> Mismatch | None:
    if got.shape != want.shape:
        return Mismatch("wrong-shape", _("expected shape {expected}, got shape {got}").format(
            expected=want.shape, got=got.shape))
    if not np.all(np.isfinite(got)):
        return _not_finite()
    close = np.abs(got - want) <= atol + rtol * np.abs(want)
    if bool(np.all(close)):
        return None
    return _wrong_value(float(np.max(np.abs(got - want))))


def _tensor_mismatch(
    answer: Any, expected: TensorTruth, rtol: float, atol: float
) -> Mismatch | None:
    if not (isinstance(answer, ArrayAnswer) and answer.kind == "tensor"):
        return Mismatch("wrong-type", _("expected a torch tensor, got {value}").format(
            value=describe(answer)))
    problem = _values_mismatch(answer.values, expected.values, rtol, atol)
    if problem is not None:
        return problem
    device = (answer.device or "").split(":")[0]
    if device != expected.device:
        return Mismatch("wrong-device", _("expected a tensor on {expected}, got {got}").format(
            expected=expected.device, got=device))
    if answer.dtype != expected.dtype:
        return Mismatch("wrong-dtype", _("expected dtype {expected}, got {got}").format(
            expected=expected.dtype, got=answer.dtype))
    return None


class NumericCheck(Check):
    """A function judged on drawn inputs against a float64 truth, with named wrong answers."""

    def __init__(
        self,
        function: str,
        points: float,
        *,
        draw: Callable[[np.random.Generator, bool], list[Case]],
        truth: Callable[[Case], Any],
        mistakes: Sequence[Mistake] = (),
        rtol: float = 1e-6,
        atol: float = 1e-9,
        skipped_without_cuda: str | None = None,
        evidence: Evidence | None = None,
        outputs: Sequence[str] = (),
        rehearse: Callable[[list[Any], dict[str, Callable[..., Any]]], object] | None = None,
    ) -> None:
        self.function = function
        self.points = points
        self._draw = draw
        self._truth = truth
        self.mistakes = tuple(mistakes)
        self.rtol, self.atol = rtol, atol
        self._skipped_without_cuda = skipped_without_cuda
        self.outputs = tuple(outputs)  # names of a tuple answer's parts, for the diagnoses
        self._rehearse = rehearse
        # By default the graded runs themselves, as far as they fit (see `recorded`).
        self._evidence = evidence or (lambda runs, _call: recorded(runs))

    def cases(self, rng: np.random.Generator, *, cuda: bool) -> list[Case]:
        return self._draw(rng, cuda)

    def truth(self, case: Case) -> Any:
        return self._truth(case)

    def trusted(self, *args: Any) -> Any:
        """The truth called as the student's function is (a re-run's substitute helper)."""
        return self._truth(Case("trusted", tuple(args)))

    def rehearse(self, args: list[Any], helpers: dict[str, Callable[..., Any]]) -> None:
        if self._rehearse is not None:
            self._rehearse(args, helpers)

    def notes(self, *, cuda: bool) -> tuple[str, ...]:
        if self._skipped_without_cuda and not cuda:
            return (_(self._skipped_without_cuda),)
        return ()

    def evidence(self, runs: list[Run], call: Call) -> tuple[Sample, ...]:
        return self._evidence(runs, call)

    def assess(self, runs: list[Run]) -> Assessment:
        failures: list[tuple[Run, Any, Mismatch]] = []
        for run in runs:
            expected = self._truth(run.case)
            problem = mismatch(run.outcome.value, expected, self.rtol, self.atol)
            problem = problem or _mutation(run)
            if problem is not None:
                failures.append((run, expected, problem))
        if not failures:
            return Assessment(
                Verdict.PASSED,
                ngettext("The case matches the truth (relative tolerance {rtol}).",
                         "All {count} cases match the truth (relative tolerance {rtol}).",
                         len(runs)).format(count=len(runs), rtol=f"{self.rtol:g}"),
            )
        run, expected, problem = failures[0]
        diagnosis = self._diagnose(failures) or _generic(problem)
        shown_expected = to_plain(_values(expected))
        shown_actual = to_plain(run.outcome.value)
        wrong = (_("Wrong on {count} of {total} cases; first on {label}: {problem}.")
                 if len(runs) > 1 else _("Wrong on {label}: {problem}."))
        return Assessment(
            Verdict.FAILED,
            wrong.format(count=len(failures), total=len(runs), label=run.case.label,
                         problem=problem.message),
            expected=shown_expected,
            actual=shown_actual,
            counterexample=Counterexample(run.case.shown_inputs(), shown_expected, shown_actual),
            diagnosis=diagnosis,
        )

    def _diagnose(self, failures: list[tuple[Run, Any, Mismatch]]) -> Diagnosis | None:
        """A named mistake that explains every failure, else a fingerprint that does."""
        for mistake in self.mistakes:
            if all(self._matches(mistake, run) for run, _expected, _problem in failures):
                return mistake.diagnosis()
        if any(problem.kind not in _FINGERPRINTED for _run, _expected, problem in failures):
            return None
        return fingerprint(
            [Failure(run.case, run.outcome.value, _values(expected))
             for run, expected, _problem in failures],
            rtol=self.rtol, atol=self.atol, outputs=self.outputs)

    def _matches(self, mistake: Mistake, run: Run) -> bool:
        try:
            wrong = mistake.answer(run.case)
        except (ArithmeticError, ValueError, TypeError, IndexError, RuntimeError):
            return False  # a formula that raises here explains no wrong value
        return mismatch(run.outcome.value, wrong, self.rtol, self.atol) is None

    def explain_error(self, case: Case, error: RaisedError, call: Call) -> Diagnosis | None:
        """A mistake whose formula fails on `case` as the student's did (see `Mistake`)."""
        if not is_shape_error(error):
            return None  # an unrelated error: no formula of ours is behind it
        asked: dict[Callable[[Case], list[Case]], tuple[list[Case], list[Any]]] = {}
        for mistake in self.mistakes:
            reproduced = reproduce(mistake.answer, case)
            if reproduced is None or not is_shape_error(reproduced):
                continue
            if mistake.probes is None:
                same = (reproduced.type, reproduced.message) == (error.type, error.message)
            else:
                if mistake.probes not in asked:  # mistakes sharing probes share the calls
                    probes = mistake.probes(case)
                    asked[mistake.probes] = (probes, call(probes) if probes else [])
                same = self._returns_mistake(mistake, *asked[mistake.probes])
            if same:
                return mistake.diagnosis()
        return None

    def _returns_mistake(self, mistake: Mistake, probes: list[Case], answers: list[Any]) -> bool:
        """Whether the student's function returned the mistake's value, not the truth's, on
        every probe (a probe where the two agree, or that did not return, proves nothing)."""
        if not answers or len(answers) < len(probes):
            return False
        for probe, answer in zip(probes, answers, strict=True):
            try:
                wrong, right = mistake.answer(probe), self._truth(probe)
            except (ArithmeticError, ValueError, TypeError, IndexError, RuntimeError):
                return False
            if not _differs(_values(wrong), _values(right), self.rtol, self.atol):
                return False
            if mismatch(answer, wrong, self.rtol, self.atol) is not None:
                return False
        return True


def _values(expected: Any) -> Any:
    """The expected value with tensors as their numbers, ready to show."""
    if isinstance(expected, TensorTruth):
        return expected.values
    if isinstance(expected, tuple):  # a tuple of outputs stays one, for the fingerprints
        return tuple(_values(item) for item in expected)
    if isinstance(expected, list):
        return [_values(item) for item in expected]
    return expected


def _differs(first: Any, second: Any, rtol: float, atol: float) -> bool:
    """Whether two values the grader computed (numbers, arrays, tuples of them) differ."""
    if isinstance(first, tuple | list) or isinstance(second, tuple | list):
        if not (isinstance(first, tuple | list) and isinstance(second, tuple | list)):
            return True
        return len(first) != len(second) or any(
            _differs(a, b, rtol, atol) for a, b in zip(first, second, strict=False))
    got, want = np.asarray(first, dtype=np.float64), np.asarray(second, dtype=np.float64)
    return _values_mismatch(got, want, rtol, atol) is not None


def _mutation(run: Run) -> Mismatch | None:
    for index, after in zip(run.case.watch, run.outcome.args_after, strict=False):
        before = run.case.args[index]
        now = as_array(after, scalar=False)
        if now is None or now.shape != np.shape(before) or not np.array_equal(now, before):
            name = (run.case.names[index] if index < len(run.case.names)
                    else _("argument {number}").format(number=index + 1))
            return Mismatch("mutated-input", _("the input {name} was modified in place")
                            .format(name=name))
    return None


def _generic(problem: Mismatch) -> Diagnosis | None:
    message = _GENERIC.get(problem.kind)
    return Diagnosis(problem.kind, _(message)) if message else None


