"""Staged equivalence of an answer with the truth: `compare`, `agrees_numerically`, outcomes."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sympy

from grader.forking import ChildCrashed, ChildTimeout, ProtocolViolation, call_in_fork
from grader.symbolic.limits import DEFAULT, Limits
from grader.symbolic.sampling import ATOL, RTOL, Case, sample_points

__all__ = ["Comparison", "Outcome", "agrees_numerically", "compare"]

class Outcome(StrEnum):
    """What a comparison concluded; UNDECIDED is neither a pass nor a fail."""

    EQUAL = "equal"
    DIFFERENT = "different"
    UNDECIDED = "undecided"


@dataclass(frozen=True)
class Comparison:
    """The outcome, the stage that decided it, one sentence, and a counterexample if any."""

    outcome: Outcome
    method: str
    detail: str
    counterexample: dict[str, Any] | None = None


def compare(
    answer: sympy.Expr,
    truth: sympy.Expr,
    *,
    seed: int,
    sum_bound: sympy.Symbol | None = None,
    timeout: float = 2.0,
    limits: Limits = DEFAULT,
) -> Comparison:
    """Decide whether `answer` equals `truth` as a function of their symbols.

    Stages: structural equality; random points (a difference there is DIFFERENT, with the
    point); expand under a size budget; `simplify` in a killable fork. With Sums over
    1..`sum_bound` (found in `truth` when not given) both sides are written out for
    m = 1..`limits.max_sum_span` first. Whatever cannot be shown in time is UNDECIDED.
    """
    answer, truth = _as_expr(answer), _as_expr(truth)
    if answer == truth:
        return Comparison(Outcome.EQUAL, "structural", "The answer is the expected expression.")
    instances, note = _instantiate(answer, truth, sum_bound, limits)
    sample = sample_points(instances, seed=seed, span=limits.max_sum_span)
    if sample.counterexample is not None:
        return Comparison(Outcome.DIFFERENT, "random-points",
                          _describe(sample.counterexample), sample.counterexample)
    where = "".join(f" for {name} = 1..{len(instances)}" for name in instances[0][2])
    pairs = [(answer_k, truth_k) for answer_k, truth_k, _ in instances]
    expanded = _expand_equal(pairs, limits)
    if expanded:
        return Comparison(Outcome.EQUAL, "expand",
                          f"The answer expands to the expected expression{where}.")
    if sample.compared:
        evidence = f"all {sample.compared} random points agree"
    else:
        evidence = "no sample point could be evaluated"
    try:
        simplified = _simplify_in_fork(pairs, expand_tried=expanded is not None, timeout=timeout)
    except ChildTimeout:
        return Comparison(Outcome.UNDECIDED, "timeout", f"Equality could not be decided within "
                          f"{timeout:g} s ({evidence}){note}.")
    except (ChildCrashed, ProtocolViolation) as exc:
        return Comparison(Outcome.UNDECIDED, "error", f"SymPy failed while comparing "
                          f"({str(exc)[:80]}; {evidence}){note}.")
    if simplified:
        return Comparison(Outcome.EQUAL, "simplify",
                          f"The answer simplifies to the expected expression{where}.")
    return Comparison(Outcome.UNDECIDED, "simplify", f"SymPy could not show the answer equal "
                      f"to the expected expression, but {evidence}{note}.")


def agrees_numerically(
    answer: sympy.Expr,
    candidate: sympy.Expr,
    *,
    seed: int,
    sum_bound: sympy.Symbol | None = None,
) -> bool:
    """True when `answer` matches `candidate` (e.g. a known wrong answer) at random points.

    Cheap and numeric only: at least one point must be comparable and none may differ.
    """
    answer, candidate = _as_expr(answer), _as_expr(candidate)
    if answer == candidate:
        return True
    instances, _ = _instantiate(answer, candidate, sum_bound, DEFAULT)
    sample = sample_points(instances, seed=seed, span=DEFAULT.max_sum_span)
    return sample.counterexample is None and sample.compared > 0


def _as_expr(value: object) -> sympy.Expr:
    # Truths and named mistakes may be plain numbers; text is never accepted here.
    if isinstance(value, sympy.Expr):
        return value
    if type(value) is int:
        return sympy.Integer(value)
    if type(value) is float:
        return sympy.Float(value)
    raise TypeError(f"expected a SymPy expression, got {type(value).__name__}")


# ------------------------------------------------------------------ Sums: m = 1..span


class _CannotUnroll(Exception):
    pass


def _instantiate(
    answer: sympy.Expr, truth: sympy.Expr, bound: sympy.Symbol | None, limits: Limits
) -> tuple[list[Case], str]:
    """The (answer, truth, {m: k}) cases to check: with sums over 1..m, one per m = 1..span."""
    whole: list[Case] = [(answer, truth, {})]
    if not (answer.has(sympy.Sum) or truth.has(sympy.Sum)):
        return whole, ""
    bound = bound if bound is not None else _detect_bound(truth)
    if bound is None:
        return whole, ""
    instances = []
    for k in range(1, limits.max_sum_span + 1):
        budget = [limits.max_unrolled_nodes]
        try:
            pair = [_unroll(_fix(side, bound.name, k), limits, budget) for side in (answer, truth)]
        except (_CannotUnroll, RecursionError):
            return whole, f"; the sums could not be written out for {bound.name} = 1..{k}"
        instances.append((pair[0], pair[1], {bound.name: k}))
    return instances, ""


def _detect_bound(truth: sympy.Expr) -> sympy.Symbol | None:
    uppers = {hi for s in truth.atoms(sympy.Sum) for _, _, hi in s.limits if hi.is_Symbol}
    return uppers.pop() if len(uppers) == 1 else None


def _fix(expr: sympy.Basic, name: str, k: int) -> sympy.Basic:
    # By name, like every other symbol: the answer's m need not be the caller's object.
    hits = {s: sympy.Integer(k) for s in expr.free_symbols if s.is_Symbol and s.name == name}
    return expr.xreplace(hits)


def _unroll(expr: sympy.Basic, limits: Limits, budget: list[int]) -> sympy.Basic:
    if not expr.args:
        return expr
    if isinstance(expr, sympy.Sum):
        return _unroll_sum(expr.function, list(expr.limits), limits, budget)
    args = [_unroll(arg, limits, budget) for arg in expr.args]
    if all(new is old for new, old in zip(args, expr.args, strict=True)):
        return expr
    return expr.func(*args)


def _unroll_sum(
    body: sympy.Basic, bounds: list[Any], limits: Limits, budget: list[int]
) -> sympy.Basic:
    var, lo, hi = bounds[-1]  # the last limit is the outermost sum
    if not (lo.is_Integer and hi.is_Integer):
        raise _CannotUnroll
    first, last = int(lo), int(hi)
    if last - first + 1 > limits.max_sum_span or last < first - 1:
        raise _CannotUnroll
    inner = sympy.Sum(body, *bounds[:-1]) if len(bounds) > 1 else body
    budget[0] -= _size(inner) * (last - first + 1)
    if budget[0] < 0:
        raise _CannotUnroll
    terms = [_unroll(inner.xreplace({var: sympy.Integer(n)}), limits, budget)
             for n in range(first, last + 1)]
    return sympy.Add(*terms)


def _size(expr: sympy.Basic) -> int:
    return sum(1 for _ in sympy.preorder_traversal(expr))


def _describe(counterexample: dict[str, Any]) -> str:
    at = ", ".join(f"{name} = {_short(value)}" for name, value in counterexample["at"].items())
    where = f"At {at}" if at else "As a number"
    expected, actual = counterexample["expected"], counterexample["actual"]
    return (f"{where} the expected value is {_short(expected, actual)} but the answer gives "
            f"{_short(actual, expected)}.")


def _short(value: object, other: object = None) -> str:
    if not isinstance(value, float):
        return str(value)
    digits = 6  # more only where 6 would print the expected and the actual value alike
    while isinstance(other, float) and digits < 17 and (
        f"{value:.{digits}g}" == f"{other:.{digits}g}"
    ):
        digits += 1
    return f"{value:.{digits}g}"


# ------------------------------------------------------------- symbolic confirmation


class _OverBudget(Exception):
    pass


def _expand_equal(pairs: list[tuple[Any, Any]], limits: Limits) -> bool | None:
    """Whether every pair expands to the same thing; None when expanding would be too big."""
    try:
        for answer, truth in pairs:
            _terms(answer, limits.max_expand_terms)
            _terms(truth, limits.max_expand_terms)
    except (_OverBudget, RecursionError):
        return None
    for answer, truth in pairs:
        expanded_answer, expanded_truth = sympy.expand(answer), sympy.expand(truth)
        if not _negligible(expanded_answer - expanded_truth, expanded_answer, expanded_truth):
            return False
    return True


def _terms(expr: sympy.Basic, limit: int) -> int:
    """An upper estimate of the number of terms `expand(expr)` produces."""
    if isinstance(expr, sympy.Add):
        count = sum(_terms(arg, limit) for arg in expr.args)
    elif isinstance(expr, sympy.Mul):
        count = 1
        for arg in expr.args:
            count *= _terms(arg, limit)
            if count > limit:
                raise _OverBudget
    elif isinstance(expr, sympy.Pow):
        _terms(expr.exp, limit)
        # expand() splits (a + b)**(x + 64) into (a + b)**x * (a + b)**64 and multiplies out
        # the integer part: count that as the multinomial (t1 + ... + tb)**n.
        numeric = expr.exp.as_coeff_Add()[0]
        n = math.floor(abs(float(numeric))) if numeric.is_Number else 0
        base = _terms(expr.base, limit)
        count = 1 if base == 1 else (limit + 1 if n > limit else math.comb(n + base - 1, base - 1))
    else:
        for arg in expr.args:
            _terms(arg, limit)
        count = 1
    if count > limit:
        raise _OverBudget
    return count


def _negligible(diff: sympy.Basic, answer: sympy.Basic, truth: sympy.Basic) -> bool:
    """Zero, or only float rounding: each left-over Float coefficient is tiny next to its own
    coefficient in the answer or the truth (so 0.5*x matches x/2, but 0.333*x not x/3)."""
    if diff == 0:
        return True
    answer_coeffs, truth_coeffs = answer.as_coefficients_dict(), truth.as_coefficients_dict()
    for term in sympy.Add.make_args(diff):
        coeff, monomial = term.as_coeff_Mul()
        if not coeff.is_Float:
            return False
        scale = max(abs(float(answer_coeffs.get(monomial, 0))),
                    abs(float(truth_coeffs.get(monomial, 0))))
        if abs(float(coeff)) > RTOL * scale + ATOL:
            return False
    return True


def _simplify_in_fork(pairs: list[tuple[Any, Any]], *, expand_tried: bool, timeout: float) -> bool:
    def work() -> bool:
        for answer, truth in pairs:
            diff = answer - truth
            if not expand_tried and _is_zero(sympy.expand(diff)):
                continue
            if not _is_zero(sympy.simplify(diff)):
                return False
        return True

    return call_in_fork(work, timeout) is True


def _is_zero(expr: sympy.Basic) -> bool:
    return expr == 0 or bool(expr.is_Number and expr.is_zero)
