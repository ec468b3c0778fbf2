"""Static work budgets, checked before any comparison work: `over_budget`, `expand_terms`."""

from __future__ import annotations

import math

import sympy

from grader.symbolic.limits import Limits

__all__ = ["OverBudget", "expand_terms", "over_budget"]


class OverBudget(Exception):
    """The work a step would do exceeds its budget; the step is not attempted."""


def over_budget(expr: sympy.Basic, limits: Limits) -> str | None:
    """Why comparing `expr` would cost too much, or None. Walks the tree; computes nothing.

    Sums nested inside sums multiply the work of sampling (each level runs up to
    `limits.longest_sum` times per point), so their nesting and the resulting number of
    node evaluations per point are bounded, as are the sizes of numbers and exponents.
    """
    span, work = limits.longest_sum, 0
    stack: list[tuple[sympy.Basic, int]] = [(expr, 0)]
    while stack:
        node, nesting = stack.pop()
        work += span**nesting
        if work > limits.max_sum_work:
            return f"it needs more than {limits.max_sum_work} evaluations per sample point"
        if isinstance(node, sympy.Sum):
            inner = nesting + len(node.limits)
            if inner > limits.max_sum_nesting:
                return f"its sums are nested more than {limits.max_sum_nesting} deep"
            stack.append((node.function, inner))
            stack.extend((bound, nesting) for limit in node.limits for bound in limit[1:])
            continue
        problem = _number_problem(node, limits)
        if problem is not None:
            return problem
        stack.extend((arg, nesting) for arg in node.args)
    return None


def _number_problem(node: sympy.Basic, limits: Limits) -> str | None:
    if isinstance(node, sympy.Rational) and (
            int(node.p).bit_length() + int(node.q).bit_length() > limits.max_number_bits):
        return f"a number in it has more than {limits.max_number_bits} bits"
    if isinstance(node, sympy.Pow) and node.exp.is_Rational and (
            abs(node.exp.p) > limits.max_exponent or node.exp.q > limits.max_exponent):
        return f"an exponent in it is larger than {limits.max_exponent}"
    return None


def expand_terms(expr: sympy.Basic, limit: int) -> int:
    """An upper estimate of the number of terms `expand(expr)` produces; OverBudget past
    `limit` (the estimate stops there, so it is cheap even for a huge expansion)."""
    if isinstance(expr, sympy.Add):
        count = sum(expand_terms(arg, limit) for arg in expr.args)
    elif isinstance(expr, sympy.Mul):
        count = 1
        for arg in expr.args:
            count *= expand_terms(arg, limit)
            if count > limit:
                raise OverBudget
    elif isinstance(expr, sympy.Pow):
        expand_terms(expr.exp, limit)
        # expand() splits (a + b)**(x + 64) into (a + b)**x * (a + b)**64 and multiplies out
        # the integer part: count that as the multinomial (t1 + ... + tb)**n.
        numeric = expr.exp.as_coeff_Add()[0]
        n = _magnitude(numeric, limit + 1) if numeric.is_Number else 0
        base = expand_terms(expr.base, limit)
        count = 1 if base == 1 else (limit + 1 if n > limit else math.comb(n + base - 1, base - 1))
    else:
        for arg in expr.args:
            expand_terms(arg, limit)
        count = 1
    if count > limit:
        raise OverBudget
    return count


def _magnitude(number: sympy.Number, cap: int) -> int:
    """min(|number|, cap) rounded down; exact for rationals (float() of a huge one overflows)."""
    if number.is_Rational:
        return min(abs(int(number.p)) // int(number.q), cap)
    value = abs(float(number))
    return min(math.floor(value), cap) if math.isfinite(value) else cap
