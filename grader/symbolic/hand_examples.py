"""Counterexamples a student can check by hand: `hand_counterexample`, worked out in one line."""

# Runs in the parent on an answer that compare has already found different (so within the
# size budget): every evaluation is bounded by the expression's size and sums of at most
# _SPAN terms, and nothing is simplified or solved.

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import mpmath
import sympy

from grader.i18n import _
from grader.symbolic.sampling import Draw, Point, evaluator

__all__ = ["HandExample", "hand_counterexample"]

_SPAN = 3  # the longest sum written out: m = 1, 2 or 3
_BOUNDS = (1, 2, 3)
_MAX_TERMS = 6  # longer sums of terms are shown by their value only
_RANDOM_TRIES = 16
_POOL = (1, 2, 3, -1, -2, -3, 0.5, -0.5)
_DENOMINATOR = 100  # values shown as fractions up to this denominator, else as decimals
# Node evaluations allowed per value of the bound, so that the search in the parent stays
# short and its result does not depend on the machine's speed.
_WORK = 200_000


@dataclass(frozen=True)
class HandExample:
    """A point and both values there; `working` is the one-line sentence that shows them."""

    inputs: dict[str, int | float]
    expected: int | float
    actual: int | float
    working: str


def hand_counterexample(
    answer: sympy.Expr, truth: sympy.Expr, *, bound: sympy.Symbol | None, seed: int
) -> HandExample | None:
    """The simplest point found where `answer` and `truth` are both defined, real and
    different: names valued 1, 2, 3… in the order the truth uses them, then other small
    values; sums over 1..`bound` written out for bound = 1, then 2, then 3. None if no
    such point turns up among a few dozen tries."""
    at_answer, at_truth = evaluator(answer, span=_SPAN), evaluator(truth, span=_SPAN)
    if at_answer is None or at_truth is None:
        return None
    summed = bound is not None and (answer.has(sympy.Sum) or truth.has(sympy.Sum))
    tries = max(1, _WORK // (_cost(answer) + _cost(truth)))
    for fixed in ({bound.name: k} for k in _BOUNDS) if summed else ({},):
        for draw in itertools.islice(_draws(seed), tries):
            point = Point(fixed, draw)
            _name_in_order(point, (truth, answer), fixed)
            expected, actual = at_truth(point), at_answer(point)
            if _real(expected) and _real(actual) and not _close(expected, actual):
                return _example(point, answer, truth, expected, actual)
    return None


def _cost(expr: sympy.Expr) -> int:
    """Node evaluations one point costs: nodes, times _SPAN for each sum limit (nested or not,
    an upper bound)."""
    limits = sum(len(s.limits) for s in expr.atoms(sympy.Sum))
    return sum(1 for _ in sympy.preorder_traversal(expr)) * _SPAN ** min(limits, 4)


def _name_in_order(point: Point, exprs: tuple[sympy.Expr, ...], fixed: dict[str, int]) -> None:
    """Draw the names in the order a student reads them: symbols by name, then the data
    sample by sample (X[1], Y[1], X[2], Y[2] for a sum over 1..2)."""
    symbols = {s for e in exprs for s in e.free_symbols if isinstance(s, sympy.Symbol)}
    bases = sorted({b for e in exprs for b in e.atoms(sympy.IndexedBase)}, key=str)
    names: list[sympy.Expr] = sorted(symbols - {s for s in symbols if s.name in fixed}
                                     - {b.label for b in bases}, key=str)
    names += [base[k] for k in range(1, next(iter(fixed.values()), 0) + 1) for base in bases]
    for name in names:
        at = evaluator(name, span=_SPAN)
        if at is not None:
            at(point)


def _draws(seed: int) -> Iterator[Draw]:
    """Value plans: 1, 2, 3 in the order the names are read, shifted and signed, then
    seeded picks of small values."""
    plans: list[list[int | float]] = [[1, 2, 3], [2, 3, 1], [1, -2, 3], [1, 2, 3, 4, 5, 6]]
    rng = random.Random(seed)
    plans += [[rng.choice(_POOL) for _ in range(8)] for _ in range(_RANDOM_TRIES)]
    for plan in plans:
        yield _plan_draw(plan)


def _plan_draw(plan: list[int | float]) -> Draw:
    used = [0]

    def draw(_name: str, kind: tuple[bool, int]) -> int | float:
        value = plan[used[0] % len(plan)]
        used[0] += 1
        integer, sign = kind
        if integer and value != int(value):
            value = 1
        return abs(value) * sign if sign else value

    return draw


def _real(value: Any) -> bool:
    return value is not None and bool(mpmath.isfinite(value.real)) and abs(value.imag) <= (
        mpmath.mpf(10) ** -30 * max(1, abs(value.real)))


def _close(a: Any, b: Any) -> bool:
    # Both are exact to about 50 digits at these points: any visible difference is real.
    return bool(abs(a.real - b.real) <= mpmath.mpf(10) ** -20 * max(1, abs(a.real), abs(b.real)))


def _example(
    point: Point, answer: sympy.Expr, truth: sympy.Expr, expected: Any, actual: Any
) -> HandExample:
    inputs = {name: _plain(value) for name, value in point.values.items()}
    shown_expected = _working(truth, point, expected)
    shown_actual = _working(answer, point, actual)
    if inputs:
        at = ", ".join(f"{name} = {_number(value)}" for name, value in inputs.items())
        working = _("At {point}: expected {expected}, yours gives {actual}.").format(
            point=at, expected=shown_expected, actual=shown_actual)
    else:
        working = _("Expected {expected}, yours gives {actual}.").format(
            expected=shown_expected, actual=shown_actual)
    return HandExample(inputs, _plain(expected.real), _plain(actual.real), working)


def _working(expr: sympy.Expr, point: Point, value: Any) -> str:
    """'1/2 + 2 = 5/2': the value of each term, then the total (the total alone when the
    expression is one plain term or too long to show)."""
    total = _number(value.real)
    terms = expr.as_ordered_terms() if isinstance(expr, sympy.Add) else [expr]
    if len(terms) > _MAX_TERMS:
        return total
    parts = [_term(term, point) for term in terms]
    if any(part is None for part in parts):
        return total
    shown = [str(part) for part in parts]
    if shown == [total]:
        return total
    line = shown[0] + "".join(f" - {part[1:]}" if part.startswith("-") else f" + {part}"
                              for part in shown[1:])
    return f"{line} = {total}"


def _term(term: sympy.Expr, point: Point) -> str | None:
    """One term's value; a term c·Sum(...) as c·(s1 + s2), the sum's terms one by one."""
    sums = [factor for factor in sympy.Mul.make_args(term) if isinstance(factor, sympy.Sum)]
    if len(sums) == 1 and len(sums[0].limits) == 1:
        written = _written_out(term, sums[0], point)
        if written is not None:
            return written
    value = _value(term, point)
    return None if value is None else _number(value)


def _written_out(term: sympy.Expr, summed: sympy.Sum, point: Point) -> str | None:
    index, lo, hi = summed.limits[0]
    first, last = _value(lo, point), _value(hi, point)
    if first is None or last is None or first != int(first) or last != int(last):
        return None
    if not 1 <= int(last) - int(first) + 1 <= _SPAN:
        return None
    values = [_value(summed.function.xreplace({index: sympy.Integer(k)}), point)
              for k in range(int(first), int(last) + 1)]
    coefficient = _value(term / summed, point)
    if coefficient is None or any(v is None for v in values):
        return None
    inside = " + ".join(_number(v) for v in values).replace("+ -", "- ")
    inside = inside if len(values) == 1 else f"({inside})"
    if coefficient == 1:
        return inside
    return ("-" if coefficient == -1 else f"{_number(coefficient)}·") + inside


def _value(expr: sympy.Expr, point: Point) -> Any | None:
    """The real value of `expr` at `point` (no new names are drawn: all were drawn by the
    whole expression), or None."""
    at: Callable[[Point], Any] | None = evaluator(expr, span=_SPAN)
    value = None if at is None else at(point)
    return value.real if _real(value) else None


def _fraction(value: Any) -> Fraction | None:
    approximate = float(value)
    if not math.isfinite(approximate):  # beyond float64 (e^710): no simple fraction
        return None
    near = Fraction(approximate).limit_denominator(_DENOMINATOR)
    exact = mpmath.mpf(near.numerator) / near.denominator
    return near if abs(exact - value) <= mpmath.mpf(10) ** -20 * max(1, abs(value)) else None


def _number(value: Any) -> str:
    """A value as a student writes it: 3, -5/2, or 0.367879 when it is no simple fraction."""
    real = mpmath.mpf(value) if not isinstance(value, mpmath.mpc) else value.real
    near = _fraction(real)
    if near is None:
        shown = f"{float(real):.6g}"
        # mpmath keeps what float64 cannot: e^710 shows as 2.23399e+308, not inf.
        return shown if "inf" not in shown else mpmath.nstr(real, 6)
    return str(near.numerator) if near.denominator == 1 else str(near)


def _plain(value: Any) -> int | float:
    real = value.real if isinstance(value, mpmath.mpc) else mpmath.mpf(value)
    near = _fraction(real)
    if near is not None and near.denominator == 1:
        return near.numerator
    return float(real)
