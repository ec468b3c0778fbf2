"""Numeric checks: answers compared with a float64 truth on parent-drawn inputs, with diagnoses."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader.checks.base import Assessment, Call, Case, Check, Mistake, Run
from grader.checks.evidence import Evidence, recorded
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
    "not-finite": "A NaN or infinity never passes. Look for an overflow (e.g. exp of a large "
    "number) or a division by zero.",
    "wrong-type": "The value has the wrong type: check what the function is asked to return.",
    "wrong-shape": "The numbers may be right but the shape is not: check transposes, sums that "
    "drop a dimension, and keepdim.",
    "wrong-device": "The result must stay on the inputs' device: build new tensors with "
    "device=x.device (or from operations on the inputs).",
    "wrong-dtype": "The result must keep the inputs' dtype: avoid creating float32 tensors "
    "with torch.tensor(...) without dtype=x.dtype.",
    "mutated-input": "The function changed its input array in place (e.g. `w -= …`). Return a "
    "new value instead: the caller's array must stay as it was.",
    "wrong-length": "The list has the wrong number of entries.",
}


def mismatch(answer: Any, expected: Any, rtol: float, atol: float) -> Mismatch | None:
    """None when `answer` matches `expected` within tolerance; otherwise why not."""
    if isinstance(expected, TensorTruth):
        return _tensor_mismatch(answer, expected, rtol, atol)
    if isinstance(expected, tuple | list):
        if not isinstance(answer, list):
            return Mismatch("wrong-type", f"expected a sequence, got {describe(answer)}")
        if len(answer) != len(expected):
            return Mismatch(
                "wrong-length", f"expected {len(expected)} values, got {len(answer)}"
            )
        for index, (got, want) in enumerate(zip(answer, expected, strict=True)):
            problem = mismatch(got, want, rtol, atol)
            if problem is not None:
                return Mismatch(problem.kind, f"at index {index}: {problem.message}")
        return None
    want = np.asarray(expected, dtype=np.float64)
    got = _as_array(answer, scalar=want.ndim == 0)
    if got is None:
        shape = "a number" if want.ndim == 0 else f"an array of shape {want.shape}"
        return Mismatch("wrong-type", f"expected {shape}, got {describe(answer)}")
    return _values_mismatch(got, want, rtol, atol)


def _as_array(answer: Any, *, scalar: bool) -> np.ndarray | None:
    if type(answer) in (int, float):
        return np.asarray(_as_float(answer))
    if isinstance(answer, ArrayAnswer):
        return answer.values
    if isinstance(answer, list) and not scalar:
        try:
            array = np.array(_floats(answer), dtype=np.float64)
        except (TypeError, ValueError, RecursionError):
            return None
        return array
    return None


def _as_float(number: int | float) -> float:
    """The number as a float; an int beyond float64's range becomes ±inf (never passes)."""
    try:
        return float(number)
    except OverflowError:
        return math.inf if number > 0 else -math.inf


def _floats(items: list[Any]) -> list[Any]:
    # NumPy raises OverflowError on a huge int inside a list: convert them first.
    return [_as_float(item) if type(item) is int else _floats(item) if type(item) is list
            else item for item in items]


def _values_mismatch(
    got: np.ndarray, want: np.ndarray, rtol: float, atol: float
) -> Mismatch | None:
    if got.shape != want.shape:
        return Mismatch("wrong-shape", f"expected shape {want.shape}, got shape {got.shape}")
    if not np.all(np.isfinite(got)):
        return Mismatch("not-finite", "the answer contains NaN, infinity or a number beyond "
                        "float64's range")
    close = np.abs(got - want) <= atol + rtol * np.abs(want)
    if bool(np.all(close)):
        return None
    worst = float(np.max(np.abs(got - want)))
    return Mismatch("wrong-value", f"values differ from the truth (largest error {worst:.3g})")


def _tensor_mismatch(
    answer: Any, expected: TensorTruth, rtol: float, atol: float
) -> Mismatch | None:
    if not (isinstance(answer, ArrayAnswer) and answer.kind == "tensor"):
        return Mismatch("wrong-type", f"expected a torch tensor, got {describe(answer)}")
    problem = _values_mismatch(answer.values, expected.values, rtol, atol)
    if problem is not None:
        return problem
    device = (answer.device or "").split(":")[0]
    if device != expected.device:
        return Mismatch("wrong-device", f"expected a tensor on {expected.device}, got {device}")
    if answer.dtype != expected.dtype:
        return Mismatch("wrong-dtype", f"expected dtype {expected.dtype}, got {answer.dtype}")
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
    ) -> None:
        self.function = function
        self.points = points
        self._draw = draw
        self._truth = truth
        self.mistakes = tuple(mistakes)
        self.rtol, self.atol = rtol, atol
        self._skipped_without_cuda = skipped_without_cuda
        # By default the graded runs themselves, as far as they fit (see `recorded`).
        self._evidence = evidence or (lambda runs, _call: recorded(runs))

    def cases(self, rng: np.random.Generator, *, cuda: bool) -> list[Case]:
        return self._draw(rng, cuda)

    def truth(self, case: Case) -> Any:
        return self._truth(case)

    def notes(self, *, cuda: bool) -> tuple[str, ...]:
        if self._skipped_without_cuda and not cuda:
            return (self._skipped_without_cuda,)
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
                f"All {len(runs)} cases match the truth (relative tolerance {self.rtol:g}).",
            )
        run, expected, problem = failures[0]
        diagnosis = self._diagnose(failures) or _generic(problem)
        shown_expected = to_plain(_values(expected))
        shown_actual = to_plain(run.outcome.value)
        wrong = f"{len(failures)} of {len(runs)} cases" if len(runs) > 1 else "the case"
        return Assessment(
            Verdict.FAILED,
            f"Wrong on {wrong}; first on {run.case.label}: {problem.message}.",
            expected=shown_expected,
            actual=shown_actual,
            counterexample=Counterexample(run.case.shown_inputs(), shown_expected, shown_actual),
            diagnosis=diagnosis,
        )

    def _diagnose(self, failures: list[tuple[Run, Any, Mismatch]]) -> Diagnosis | None:
        for mistake in self.mistakes:
            if all(self._matches(mistake, run) for run, _, _ in failures):
                return mistake.diagnosis()
        return None

    def _matches(self, mistake: Mistake, run: Run) -> bool:
        try:
            wrong = mistake.answer(run.case)
        except (ArithmeticError, ValueError, TypeError, IndexError):
            return False
        return mismatch(run.outcome.value, wrong, self.rtol, self.atol) is None


def _values(expected: Any) -> Any:
    """The expected value with tensors as their numbers, ready to show."""
    if isinstance(expected, TensorTruth):
        return expected.values
    if isinstance(expected, tuple | list):
        return [_values(item) for item in expected]
    return expected


def _mutation(run: Run) -> Mismatch | None:
    for index, after in zip(run.case.watch, run.outcome.args_after, strict=False):
        before = run.case.args[index]
        now = _as_array(after, scalar=False)
        if now is None or now.shape != np.shape(before) or not np.array_equal(now, before):
            name = run.case.names[index] if index < len(run.case.names) else f"argument {index}"
            return Mismatch("mutated-input", f"the input {name} was modified in place")
    return None


def _generic(problem: Mismatch) -> Diagnosis | None:
    message = _GENERIC.get(problem.kind)
    return Diagnosis(problem.kind, message) if message else None


