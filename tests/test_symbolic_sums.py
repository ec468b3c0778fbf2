"""Sums: the canonical form behind EQUAL for every m, the fixed m sampled, the static budgets."""

from __future__ import annotations

import pytest
import sympy

from grader.symbolic import DEFAULT, Limits, Outcome, compare, parse_answer
from grader.symbolic.budget import OverBudget, expand_terms, over_budget
from grader.symbolic.sums import canonical, instantiate

m = sympy.Symbol("m", integer=True, positive=True)
n = sympy.Symbol("n", integer=True, positive=True)
w, b, x = sympy.symbols("w b x")
i, j = sympy.symbols("i j", integer=True)
X, Y = sympy.IndexedBase("X"), sympy.IndexedBase("Y")
SYMBOLS: dict[str, sympy.Basic] = {"m": m, "n": n, "w": w, "b": b, "x": x, "i": i, "X": X,
                                   "Y": Y}
TRUTH = sympy.Sum(X[i] * (w * X[i] + b - Y[i]), (i, 1, m)) / m


def rewrite(*exprs: sympy.Expr) -> list[sympy.Expr]:
    result = canonical(exprs, DEFAULT)
    assert result is not None
    return result


def test_one_sum_becomes_one_symbol_whatever_its_index_is_called():
    first, second = rewrite(sympy.Sum(X[i] ** 2, (i, 1, m)), sympy.Sum(X[j] ** 2, (j, 1, m)))
    assert first == second and isinstance(first, sympy.Dummy)


def test_constants_come_out_of_a_sum_and_a_sum_of_a_constant_is_m_times_it():
    (result,) = rewrite(sympy.Sum(3 * w * X[i] + b, (i, 1, m)))
    (atom,) = result.atoms(sympy.Dummy)
    assert sympy.expand(result - (3 * w * atom + m * b)) == 0


def test_a_shifted_sum_is_the_same_sum():
    shifted, plain = rewrite(sympy.Sum(X[i + 1], (i, 0, m - 1)), sympy.Sum(X[i], (i, 1, m)))
    assert shifted == plain


def test_sums_over_other_lengths_are_the_sum_over_m_plus_or_minus_edge_terms():
    longer, base = rewrite(sympy.Sum(X[i], (i, 1, m + 2)), sympy.Sum(X[i], (i, 1, m)))
    assert sympy.expand(longer - base - X[m + 1] - X[m + 2]) == 0
    from_two, base = rewrite(sympy.Sum(X[i], (i, 2, m)), sympy.Sum(X[i], (i, 1, m)))
    assert sympy.expand(from_two - base + X[1]) == 0


def test_sums_of_fixed_length_are_written_out():
    assert rewrite(sympy.Sum(X[i], (i, 1, 3)))[0] == X[1] + X[2] + X[3]


@pytest.mark.parametrize(
    "expr",
    [
        sympy.Sum(sympy.Sum(X[j], (j, 1, i)), (i, 1, m)),  # inner length depends on i
        sympy.Sum(X[i], (i, 1, m * x)),  # a length that need not be a whole number
        sympy.Sum(X[i], (i, 1, -3)),
    ],
)
def test_sums_without_a_canonical_form_give_none(expr: sympy.Expr):
    assert canonical([expr], DEFAULT) is None


@pytest.mark.parametrize(
    "text",
    [
        "Sum(X[i+1]*(w*X[i+1] + b - Y[i+1]), (i, 0, m - 1))/m",
        "(X[1]*(w*X[1] + b - Y[1]) + Sum(X[i]*(w*X[i] + b - Y[i]), (i, 2, m)))/m",
        "Sum(X[i]*(w*X[i] + b - Y[i]), (i, 1, m + 1))/m - X[m + 1]*(w*X[m + 1] + b - Y[m + 1])/m",
        "w*Sum(X[i]**2, (i, 1, m))/m + Sum(b*X[i] - X[i]*Y[i], (i, 1, m))/m",
        "Sum(X[i]*(w*X[i] + b - Y[i])/m, (i, 1, m)) + Sum(0*X[i] + x - x, (i, 1, m))",
    ],
)
def test_equal_for_every_m_is_equal(text: str):
    result = compare(parse_answer(text, SYMBOLS), TRUTH, seed=3, sum_bound=m)
    assert result.outcome is Outcome.EQUAL, result.detail
    assert "for every m" in result.detail


def test_independent_nested_sums_factor():
    double = sympy.Sum(sympy.Sum(X[i] * Y[j], (i, 1, m)), (j, 1, m))
    product = sympy.Sum(X[i], (i, 1, m)) * sympy.Sum(Y[i], (i, 1, m))
    assert compare(double, product, seed=3, sum_bound=m).outcome is Outcome.EQUAL


def test_true_but_unprovable_sum_identities_are_undecided():
    triangle = sympy.Sum(sympy.Sum(X[j], (j, 1, i)), (i, 1, m))
    weighted = sympy.Sum((m - i + 1) * X[i], (i, 1, m))
    result = compare(triangle, weighted, seed=3, sum_bound=m)
    assert (result.outcome, result.method) == (Outcome.UNDECIDED, "sums")
    assert "for every m" in result.detail and "1..5, 8, 13" in result.detail


def test_a_sum_over_another_bound_is_not_equal():
    other = sympy.Sum(X[i] * (w * X[i] + b - Y[i]), (i, 1, n)) / m
    assert compare(other, TRUTH, seed=3, sum_bound=m).outcome is not Outcome.EQUAL


def test_sums_are_sampled_for_small_and_larger_m():
    cases = instantiate(TRUTH, TRUTH, None, DEFAULT)
    assert [fixed["m"] for _, _, fixed in cases] == [1, 2, 3, 4, 5, 8, 13]
    assert instantiate(w + 1, w, None, DEFAULT) == [(w + 1, w, {})]


def test_budgets_refuse_deep_or_wide_sums_and_huge_numbers():
    assert over_budget(TRUTH, DEFAULT) is None
    deep = X[i]
    for var in sympy.symbols("i j k l", integer=True):
        deep = sympy.Sum(deep, (var, 1, m))
    assert "nested more than 3" in (over_budget(deep, DEFAULT) or "")
    assert "more than 1024 bits" in (over_budget(sympy.Integer(2**1100) * x, DEFAULT) or "")
    assert "exponent" in (over_budget(x ** 65, DEFAULT) or "")
    small = Limits(max_sum_work=100)
    assert "evaluations" in (over_budget(sympy.Sum(X[i] ** 2 + Y[i], (i, 1, m)), small) or "")


def test_the_expand_estimate_stops_at_its_limit():
    assert expand_terms((x + w) ** 2, 10) == 3
    with pytest.raises(OverBudget):
        expand_terms((x + w + b) ** 64, 500)
    with pytest.raises(OverBudget):
        expand_terms((x + w) ** sympy.Integer(10**400), 500)  # no float overflow on the way
