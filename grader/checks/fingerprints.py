"""Numeric fingerprints: how a wrong answer relates to the truth (a factor, a transpose, a sum,
a step, an order), named with the factor or shape found."""

# A fingerprint names a failure only when it holds on every failing case, with the same label
# (the factor 2, or 1/m with each case's own m): one coincidence on one case names nothing.

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.checks.base import Case
from grader.i18n import N_, _
from grader.inputs import TensorInput
from grader.model import Diagnosis
from grader.wire import ArrayAnswer

__all__ = ["Failure", "as_array", "as_float", "fingerprint"]


@dataclass(frozen=True)
class Failure:
    """One failing case: its inputs, the student's answer and the expected plain values."""

    case: Case
    answer: Any
    expected: Any  # numbers, arrays, or a list/tuple of them (tensors as their values)


@dataclass(frozen=True)
class _Label:
    """A relation that held on one case: its diagnosis id, message and the message's fields."""

    name: str
    message: str  # an N_ catalogue key with named fields
    fields: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        # Fields that vary per case (m = 20, m = 7) are not part of what must agree.
        return self.name, self.message


_SCALE = N_("{what}: exactly {factor} times the true value. Look for a factor {factor} that "
            "should not be there, or its inverse that is missing.")
_SIGN = N_("{what}: the right size but the opposite sign. Check the order of a "
           "subtraction (y − ŷ against ŷ − y) and every minus sign.")
_HALF = N_("{what}: exactly half the true value. A factor 2 is missing (the power rule "
           "brings the exponent 2 down as a factor).")
_PER_M = N_("{what}: exactly {factor} times the true value ({count}). You divided by "
            "{letter} (a mean) where the answer is a sum, or scaled by it once too often.")
_TIMES_M = N_("{what}: exactly {factor} times the true value ({count}). You summed "
              "where a mean is wanted, or multiplied by {letter} once too often.")
_TRANSPOSED = N_("{what}: the transpose of the truth (shape {shape} instead of "
                 "{expected}). Check the order of a matrix product or a missing .T.")
_NOT_SUMMED = N_("{what}: one value per entry (shape {shape}); summed over axis {axis} it is "
                 "right. The sum over the samples is missing.")
_SUMMED = N_("{what}: the sum of the right values. Return them one by one, with shape "
             "{expected}.")
_RESHAPED = N_("{what}: the right numbers, in shape {shape}; the expected shape is "
               "{expected}.")
_ORDER = N_("{what}: the right numbers in the wrong order.")
_SWAPPED = N_("Each output is right but they are in the wrong order: return them as "
              "({names}).")
_AHEAD = N_("Your trajectory runs one step ahead: entry k holds w_(k+1). The list starts with "
            "w0 itself, then one entry per update.")
_BEHIND = N_("Your trajectory lags one step: entry k holds w_(k−1). Append each new w after "
             "its update, not before.")
_EXTRA = N_("Your trajectory has one update too many: run exactly `steps` updates, so the "
            "list holds steps + 1 values.")
_CHANGE = N_("{what}: the change from {name} is exactly {factor} times the true change. Look "
             "at the factor in front of the update.")
_ANSWER = N_("Your answer")
_OUTPUT = N_("{name} (output {number})")

_CONSTANTS: tuple[tuple[float, str], ...] = ((-1.0, "-1"), (2.0, "2"), (0.5, "1/2"),
                                             (-2.0, "-2"), (-0.5, "-1/2"), (4.0, "4"),
                                             (0.25, "1/4"))


def as_array(answer: Any, *, scalar: bool = False) -> np.ndarray | None:
    """An answer as float64 numbers, or None when it is not numbers (a list only if not
    `scalar`); an int beyond float64's range becomes ±inf, which never passes."""
    if type(answer) in (int, float):
        return np.asarray(as_float(answer))
    if isinstance(answer, ArrayAnswer):
        return answer.values
    if isinstance(answer, list) and not scalar:
        try:
            return np.array(_floats(answer), dtype=np.float64)
        except (TypeError, ValueError, RecursionError):
            return None
    return None


def as_float(number: int | float) -> float:
    """A number as a float; an int beyond float64's range becomes ±inf."""
    try:
        return float(number)
    except OverflowError:
        return math.inf if number > 0 else -math.inf


def _floats(items: list[Any]) -> list[Any]:
    # NumPy raises OverflowError on a huge int inside a list: convert them first.
    return [as_float(item) if type(item) is int else _floats(item) if type(item) is list
            else item for item in items]


def fingerprint(
    failures: Sequence[Failure], *, rtol: float, atol: float, outputs: Sequence[str] = ()
) -> Diagnosis | None:
    """The relation between answer and truth that holds on every failure, as a diagnosis.

    `outputs` names the parts of a tuple answer (05's loss, dw0, dw1) so that the message
    can say which one is off.
    """
    if not failures:
        return None
    close = _closeness(rtol, atol)
    first = failures[0].expected
    if isinstance(first, tuple) and all(isinstance(f.answer, list) for f in failures):
        return _tuple_fingerprint(failures, close, outputs)
    labels = _common(_value_labels(f.case, f.answer, f.expected, close) for f in failures)
    if not labels:
        return None
    return _diagnosis(labels[0], failures[0], what=_(_ANSWER))


def _closeness(rtol: float, atol: float) -> Callable[[np.ndarray, np.ndarray], bool]:
    def close(got: np.ndarray, want: np.ndarray) -> bool:
        return bool(got.shape == want.shape and np.all(np.isfinite(got))
                    and np.all(np.abs(got - want) <= atol + rtol * np.abs(want)))

    return close


def _common(per_case: Iterator[list[_Label]] | Any) -> list[_Label]:
    """The labels (in priority order) that every case has, by id and message."""
    result: list[_Label] | None = None
    for labels in per_case:
        if result is None:
            result = list(labels)
        else:
            keys = {label.key for label in labels}
            result = [label for label in result if label.key in keys]
        if not result:
            return []
    return result or []


def _diagnosis(label: _Label, failure: Failure, *, what: str) -> Diagnosis:
    # Per-case fields (m = 20) are shown for the first failing case, which the rationale names.
    return Diagnosis(label.name, _(label.message).format(what=what, **dict(label.fields)))


def _tuple_fingerprint(
    failures: Sequence[Failure], close: Callable[[np.ndarray, np.ndarray], bool],
    outputs: Sequence[str],
) -> Diagnosis | None:
    width = len(failures[0].expected)
    names = [outputs[i] if i < len(outputs) else str(i + 1) for i in range(width)]
    if any(len(f.answer) != width or len(f.expected) != width for f in failures):
        return None
    swapped = _swapped(failures, close)
    if swapped:
        return Diagnosis("wrong-order", _(_SWAPPED).format(names=", ".join(names)))
    found: list[tuple[int, _Label]] = []
    for index in range(width):
        wrong = [f for f in failures if not _equal(f.answer[index], f.expected[index], close)]
        if not wrong:
            continue
        labels = _common(_value_labels(f.case, f.answer[index], f.expected[index], close)
                         for f in wrong)
        if not labels:
            return None  # one output off in a way we cannot name: say nothing half-true
        found.append((index, labels[0]))
    if not found:
        return None
    index, label = found[0]
    same = [i for i, other in found if other.key == label.key]
    what = ", ".join(_(_OUTPUT).format(name=names[i], number=i + 1) for i in same)
    diagnosis = _diagnosis(label, failures[0], what=what)
    rest = [(i, other) for i, other in found if other.key != label.key]
    extra = " ".join(_diagnosis(other, failures[0], what=_(_OUTPUT).format(
        name=names[i], number=i + 1)).message for i, other in rest)
    return Diagnosis(diagnosis.name, f"{diagnosis.message} {extra}".strip())


def _swapped(failures: Sequence[Failure], close: Callable[[np.ndarray, np.ndarray], bool]) -> bool:
    width = len(failures[0].expected)
    for order in itertools.permutations(range(width)):
        if order == tuple(range(width)):
            continue
        if all(_equal(f.answer[i], f.expected[j], close) for f in failures
               for i, j in enumerate(order)):
            return True
    return False


def _equal(answer: Any, expected: Any, close: Callable[[np.ndarray, np.ndarray], bool]) -> bool:
    got, want = as_array(answer), _expected_array(expected)
    return got is not None and want is not None and close(got, want)


def _expected_array(expected: Any) -> np.ndarray | None:
    try:
        return np.asarray(expected, dtype=np.float64)
    except (TypeError, ValueError):
        return None


def _value_labels(
    case: Case, answer: Any, expected: Any, close: Callable[[np.ndarray, np.ndarray], bool]
) -> list[_Label]:
    """Every relation that holds between one answer and its truth, most specific first."""
    if isinstance(expected, list) and isinstance(answer, list):
        steps = _step_labels(answer, expected, close)
        if steps:
            return steps
    got, want = as_array(answer), _expected_array(expected)
    if got is None or want is None or not np.all(np.isfinite(got)):
        return []
    labels = _scale_labels(case, got, want, close)
    labels += _change_labels(case, got, want, close)
    labels += _shape_labels(got, want, close)
    return labels


def _scale_labels(
    case: Case, got: np.ndarray, want: np.ndarray, close: Callable[[np.ndarray, np.ndarray], bool]
) -> list[_Label]:
    if got.shape != want.shape or not np.any(want):
        return []
    labels = []
    for factor, shown in _CONSTANTS:
        if close(got, factor * want):
            if factor == -1.0:
                labels.append(_Label("sign-flipped", _SIGN))
            elif factor == 0.5:
                labels.append(_Label("scaled-by-1/2", _HALF))
            else:
                name = shown.replace("-", "minus-")
                labels.append(_Label(f"scaled-by-{name}", _SCALE, (("factor", shown),)))
    counted = _count(case)
    if counted is not None:
        m, where = counted
        count = _("m = {m}, the length of {name}").format(m=m, name=where)
        for factor, shown, message in ((1 / m, "1/m", _PER_M), (m, "m", _TIMES_M),
                                       (2 / m, "2/m", _PER_M), (1 / (2 * m), "1/(2m)", _PER_M)):
            if close(got, factor * want):
                labels.append(_Label(f"scaled-by-{shown}", message, (
                    ("factor", shown), ("letter", "m"), ("count", count))))
    return labels


def _change_labels(
    case: Case, got: np.ndarray, want: np.ndarray, close: Callable[[np.ndarray, np.ndarray], bool]
) -> list[_Label]:
    """An update off by a factor: answer − start against truth − start, where the first input
    is the start (03's w)."""
    start = _expected_array(case.args[0]) if case.args else None
    if start is None or start.shape != want.shape or got.shape != want.shape:
        return []
    change, true_change = got - start, want - start
    if not np.any(true_change):
        return []
    name = case.names[0] if case.names else "w"
    return [_Label(f"change-scaled-by-{shown.replace('-', 'minus-')}", _CHANGE,
                   (("factor", shown), ("name", name)))
            for factor, shown in _CONSTANTS if close(change, factor * true_change)]


def _count(case: Case) -> tuple[int, str] | None:
    """m: the length of the first array input (the samples, or the entries), if above 1."""
    for index, arg in enumerate(case.args):
        values = arg.values if isinstance(arg, TensorInput) else arg
        if isinstance(values, np.ndarray) and values.ndim >= 1 and values.shape[0] > 1:
            name = case.names[index] if index < len(case.names) else f"argument {index + 1}"
            return int(values.shape[0]), name
    return None


def _shape_labels(
    got: np.ndarray, want: np.ndarray, close: Callable[[np.ndarray, np.ndarray], bool]
) -> list[_Label]:
    shapes = (("shape", str(got.shape)), ("expected", str(want.shape)))
    if want.ndim == 2 and got.shape == want.T.shape and close(got, want.T):
        return [_Label("transposed", _TRANSPOSED, shapes)]
    if got.size > want.size:
        for axis in range(got.ndim):
            summed = got.sum(axis=axis)
            if summed.size == want.size and close(summed.reshape(want.shape), want):
                return [_Label("not-summed", _NOT_SUMMED, (*shapes, ("axis", str(axis))))]
    if got.size == 1 and want.size > 1 and close(got.reshape(()), np.asarray(want.sum())):
        return [_Label("summed-instead-of-elementwise", _SUMMED, shapes)]
    if got.size == want.size and got.size > 0:
        if got.shape != want.shape and close(got.reshape(want.shape), want):
            return [_Label("wrong-shape", _RESHAPED, shapes)]
        if got.size > 1 and not close(got, want) and close(
                np.sort(got, axis=None).reshape(want.shape),
                                  np.sort(want, axis=None).reshape(want.shape)):
            return [_Label("wrong-order", _ORDER, shapes)]
    return []


def _step_labels(
    answer: list[Any], expected: list[Any], close: Callable[[np.ndarray, np.ndarray], bool]
) -> list[_Label]:
    """A trajectory shifted by one step: ahead, behind, or one update too many."""
    def same(got: Sequence[Any], want: Sequence[Any]) -> bool:
        return len(got) == len(want) > 0 and all(
            _equal(g, w, close) for g, w in zip(got, want, strict=True))

    n = len(expected)
    if n < 2:
        return []
    if len(answer) in (n - 1, n) and same(answer[:n - 1], expected[1:]):
        return [_Label("off-by-one-step", _AHEAD)]
    if len(answer) == n and same(answer[:1], expected[:1]) and same(answer[1:], expected[:-1]):
        return [_Label("off-by-one-step", _BEHIND)]
    if len(answer) == n + 1 and same(answer[:n], expected):
        return [_Label("off-by-one-step", _EXTRA)]
    return []
