"""Attacks on the judge itself: answers that fool, stall or crash the comparison in the parent."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

from grader.checks.base import Assessment, Run
from grader.checks.numeric import NumericCheck
from grader.checks.symbolic import SymbolicCheck
from grader.course import find_exercise
from grader.forking import call_in_fork
from grader.model import Verdict
from grader.sandbox import CallOutcome, Outcome
from grader.symbolic import DEFAULT, compare, parse_answer
from grader.symbolic import Outcome as Equality
from grader.wire import SymbolicAnswer, decode_answer
from tests.conftest import Build, grade_one
from tests.security.helpers import step_module, verdicts

m = sympy.Symbol("m", integer=True, positive=True)
w, b = sympy.symbols("w b")
i = sympy.Symbol("i", integer=True)
X, Y = sympy.IndexedBase("X"), sympy.IndexedBase("Y")
SYMBOLS: dict[str, sympy.Basic] = {"m": m, "w": w, "b": b, "i": i, "X": X, "Y": Y}
TRUTH = sympy.Sum(X[i] * (w * X[i] + b - Y[i]), (i, 1, m)) / m
RIGHT = "Sum(X[i]*(w*X[i] + b - Y[i]), (i, 1, m))/m"
# Every m the grader samples, and more: a product vanishing on a set is zero there only.
SAMPLED = DEFAULT.sum_instances


def vanishing(roots: tuple[int, ...]) -> str:
    return "1000*" + "*".join(f"(m - {k})" for k in roots) + "*w"


def judged(text: str) -> sympy.Expr:
    # Guarded: a comparison that hangs fails the test instead of stalling the suite.
    result = call_in_fork(lambda: compare(parse_answer(text, SYMBOLS), TRUTH, seed=5,
                                          sum_bound=m).outcome.value, timeout=60)
    return Equality(result)


@pytest.mark.parametrize(
    "roots",
    [tuple(range(1, 6)), tuple(range(1, 13)), SAMPLED, (*SAMPLED, 21, 34)],
    ids=["1..5", "1..12", "every-sampled-m", "sampled-and-more"],
)
def test_a_term_that_vanishes_on_the_sampled_m_does_not_pass(roots: tuple[int, ...]):
    result = compare(parse_answer(f"{RIGHT} + {vanishing(roots)}", SYMBOLS), TRUTH, seed=5,
                     sum_bound=m)
    assert result.outcome is not Equality.EQUAL, result.detail
    if set(SAMPLED) <= set(roots):  # no sample can tell: undecided, never equal
        assert result.outcome is Equality.UNDECIDED
        assert "for every m" in result.detail and "agree" in result.detail


def test_a_vanishing_term_inside_the_sum_does_not_pass():
    inside = "Sum(X[i]*(w*X[i] + b - Y[i]) + " + vanishing(SAMPLED) + "*X[i], (i, 1, m))/m"
    result = compare(parse_answer(inside, SYMBOLS), TRUTH, seed=5, sum_bound=m)
    assert result.outcome is Equality.UNDECIDED, result.detail


def test_the_vanishing_term_gets_no_points_but_is_not_called_wrong():
    check = find_exercise("02").check("dE_dw")
    assert isinstance(check, SymbolicCheck)
    case = check.cases(np.random.default_rng(0), cuda=False)[0]
    answer = f"{RIGHT} + {vanishing(SAMPLED)}"
    assessed = check.assess([Run(case, CallOutcome(Outcome.RETURNED, value=answer))])
    assert assessed.verdict is Verdict.UNDECIDED, assessed.rationale
    assert "not counted as wrong" in assessed.rationale


def _nested(depth: int, upper: str) -> str:
    body = "(X[i] + 1)**2 - X[i]**2 - 2*X[i] - 1"
    names = "ijklnpqrst"
    for level in range(depth):
        body = f"Sum({body}, ({names[level]}, 1, {upper}))"
    return f"{RIGHT} + {body}"


@pytest.mark.parametrize(("depth", "upper"), [(10, "m"), (8, "m"), (8, "m*m"), (3, "m*m")])
def test_nested_sums_end_quickly_and_do_not_pass(depth: int, upper: str):
    # Before the budgets, depth 10 kept the parent's sampler busy for over a minute.
    assert judged(_nested(depth, upper)) in (Equality.UNDECIDED, Equality.DIFFERENT)


def test_sums_over_a_budget_are_refused_before_any_work():
    wide = "+".join(f"X[i]**{k}*Y[i]" for k in range(1, 40))
    answer = parse_answer(f"Sum(Sum(Sum({wide}, (i, 1, m)), (j, 1, m)), (k, 1, m))", SYMBOLS)
    result = compare(answer, TRUTH, seed=5, sum_bound=m)
    assert (result.outcome, result.method) == (Equality.UNDECIDED, "budget")
    assert "evaluations per sample point" in result.detail


HUGE = [10**400, -(10**4000), [1.0, 10**400], [[10**400, 2.0]], (10**400, 1.0)]


@pytest.mark.parametrize("exercise", ["01", "02", "03", "04", "05"])
@pytest.mark.parametrize("value", HUGE, ids=["int", "negative", "list", "nested", "tuple"])
def test_a_huge_integer_gets_a_verdict_not_a_crash(exercise: str, value: object):
    value = list(value) if isinstance(value, tuple) else value
    for check in find_exercise(exercise).checks:
        cases = check.cases(np.random.default_rng(0), cuda=False)
        runs = [Run(case, CallOutcome(Outcome.RETURNED, value=value,
                                      args_after=tuple(case.args[n] for n in case.watch)))
                for case in cases]
        assessed = check.assess(runs)
        assert isinstance(assessed, Assessment)
        assert assessed.verdict in (Verdict.FAILED, Verdict.ERROR), assessed.rationale


def test_a_huge_integer_is_refused_with_the_parsers_words():
    check = find_exercise("01").check("minimizer")
    case = check.cases(np.random.default_rng(0), cuda=False)[0]
    assessed = check.assess([Run(case, CallOutcome(Outcome.RETURNED, value=10**400))])
    assert assessed.verdict is Verdict.ERROR
    assert "more than 30 digits" in assessed.rationale


def test_a_huge_number_inside_an_expression_tree_gets_a_verdict():
    check = find_exercise("01").check("derivative")
    case = check.cases(np.random.default_rng(0), cuda=False)[0]
    big = str(2**1023 + 1)[:30]
    trees = [
        ["Add", [["Symbol", "x"], ["Pow", ["Integer", big], ["Integer", "30"]]]],
        ["Mul", [["Float", "1e9999"], ["Symbol", "x"]]],
        ["Pow", ["Symbol", "x"], ["Integer", "9" * 30]],
        # Found by the property test: exp of a float beyond float64 printed as 4300+ digits.
        ["Add", [["Indexed", ["IndexedBase", "Y"], ["Add", [["exp", ["Float", "1e9999"]]]]]]],
    ]
    for tree in trees:
        value = decode_answer({"$sym": tree})
        assert isinstance(value, SymbolicAnswer)
        assessed = check.assess([Run(case, CallOutcome(Outcome.RETURNED, value=value))])
        assert assessed.verdict in (Verdict.FAILED, Verdict.ERROR, Verdict.UNDECIDED)


def test_an_integer_beyond_float_range_in_a_numeric_answer_is_not_finite():
    check = find_exercise("04").check("sigmoid")
    assert isinstance(check, NumericCheck)
    cases = check.cases(np.random.default_rng(0), cuda=False)
    runs = [Run(case, CallOutcome(Outcome.RETURNED, value=_huge_like(check.truth(case))))
            for case in cases]
    assessed = check.assess(runs)
    assert assessed.verdict is Verdict.FAILED
    assert "float64's range" in assessed.rationale


def _huge_like(expected: object) -> object:
    """A value of the expected shape, every entry 10**400 (an int, as the wire carries it)."""
    shape = np.shape(expected)
    value: object = 10**400
    for size in reversed(shape):
        value = [value] * size
    return value


def test_a_judge_that_raises_costs_one_test_not_the_run(
    make_submission: Build, monkeypatch: pytest.MonkeyPatch
):
    check = find_exercise("01").check("minimizer")

    def broken(_runs: object) -> Assessment:
        raise OverflowError("int too large to convert to float")

    monkeypatch.setattr(check, "assess", broken)
    got = {t.function: t for t in grade_one(make_submission(), "01").tests}
    assert got["minimizer"].verdict is Verdict.ERROR and got["minimizer"].score == 0
    assert "OverflowError: int too large" in got["minimizer"].rationale
    assert got["derivative"].verdict is Verdict.PASSED


@pytest.mark.parametrize(
    ("text", "truth"),
    [
        (f"{RIGHT} + 1e-30*" + "*".join(f"(m - {k})" for k in SAMPLED) + "*w", TRUTH),
        ("x + 2 + 1e-30*x**2", sympy.Symbol("x") + 2),
    ],
    ids=["sum", "plain"],
)
def test_a_tiny_float_factor_does_not_make_a_wrong_term_negligible(text: str, truth: sympy.Expr):
    answer = parse_answer(text, {**SYMBOLS, "x": sympy.Symbol("x")})
    assert compare(answer, truth, seed=5, sum_bound=m).outcome is not Equality.EQUAL


@pytest.mark.parametrize("body", ["return 10**400", "return [w, 10**400]", "return -(10**4000)"])
def test_a_huge_integer_from_student_code_is_graded(make_submission: Build, body: str):
    got = verdicts(grade_one(make_submission(exercise03=step_module(body)), "03"))
    assert got["step"] in (Verdict.FAILED, Verdict.ERROR)
    assert got["descend"] is Verdict.PASSED
