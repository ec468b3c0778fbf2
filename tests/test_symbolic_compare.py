"""compare: staged equivalence with counterexamples; what cannot be decided is UNDECIDED."""

from __future__ import annotations

import importlib
import math
import time
from contextlib import nullcontext

import pytest
import sympy

from grader.forking import ChildCrashed
from grader.symbolic import (
    Comparison,
    Outcome,
    agrees_numerically,
    compare,
    from_tree,
    parse_answer,
    to_tree,
)

# The package re-exports the function `compare`, which shadows the module's name.
compare_module = importlib.import_module("grader.symbolic.compare")

x = sympy.Symbol("x", real=True)
y, a, b, c, w = sympy.symbols("y a b c w")
i = sympy.Symbol("i", integer=True)
m = sympy.Symbol("m", integer=True, positive=True)
X, Y = sympy.IndexedBase("X"), sympy.IndexedBase("Y")
SYMBOLS: dict[str, sympy.Basic] = {
    "x": x, "y": y, "a": a, "b": b, "c": c, "w": w, "i": i, "m": m, "X": X, "Y": Y,
}
DE_DW = sympy.Sum(X[i] * (w * X[i] + b - Y[i]), (i, 1, m)) / m
DE_DB = sympy.Sum(w * X[i] + b - Y[i], (i, 1, m)) / m


def check(text: str, truth: sympy.Expr, **kwargs: object) -> Comparison:
    return compare(parse_answer(text, SYMBOLS), truth, seed=7, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "method"),
    [
        ("x + 2", "structural"),
        ("2 + x", "structural"),
        ("(2*x + 4)/2", "structural"),
        ("x + 2.0", "expand"),
        ("0.5*(2*x + 4)", "expand"),
        ("(x**2 + 2*x)/x", "expand"),  # undefined at 0 only: equal as the grader means it
        ("(x**2 - 4)/(x - 2)", "simplify"),
    ],
)
def test_equivalent_forms_are_equal(text: str, method: str) -> None:
    result = check(text, x + 2)
    assert (result.outcome, result.method) == (Outcome.EQUAL, method)
    assert result.counterexample is None


def test_a_student_sympy_expression_with_other_assumptions_is_equal() -> None:
    student_x = sympy.Symbol("x", positive=True)
    derivative = sympy.diff(student_x**2 / 2 + 2 * student_x, student_x)
    answer = from_tree(to_tree(derivative), SYMBOLS)
    assert compare(answer, x + 2, seed=1).outcome is Outcome.EQUAL
    assert compare(answer, x + 2, seed=1).method == "structural"


@pytest.mark.parametrize("text", ["x + 3", "2*x + 2", "x", "-x - 2", "x**2 + 2", "0.333*x + 2"])
def test_wrong_answers_are_different_with_a_checkable_counterexample(text: str) -> None:
    result = check(text, x + 2)
    assert (result.outcome, result.method) == (Outcome.DIFFERENT, "random-points")
    point = result.counterexample
    assert point is not None and set(point) == {"at", "expected", "actual"}
    at = point["at"]
    assert set(at) == {"x"} and 0.3 <= abs(at["x"]) <= 3
    assert math.isclose(point["expected"], at["x"] + 2)
    actual = parse_answer(text, SYMBOLS).subs(x, at["x"])
    assert math.isclose(point["actual"], float(actual))
    assert "expected value is" in result.detail


def test_counterexamples_are_reproducible_from_the_seed() -> None:
    first, again = check("x + 3", x + 2), check("x + 3", x + 2)
    assert first.counterexample == again.counterexample
    other = compare(parse_answer("x + 3", SYMBOLS), x + 2, seed=8)
    assert other.counterexample != first.counterexample


def test_floats_equal_in_value_pass_and_rounded_ones_do_not() -> None:
    assert compare(0.5 * x, x / 2, seed=1).outcome is Outcome.EQUAL
    assert compare(sympy.Float(1 / 3) * x, x / 3, seed=1).outcome is Outcome.EQUAL
    assert compare(sympy.Float(-2.0), sympy.Integer(-2), seed=1).outcome is Outcome.EQUAL
    assert compare(0.333 * x, x / 3, seed=1).outcome is Outcome.DIFFERENT
    assert check("0.1*x + 0.2*x", 3 * x / 10).outcome is Outcome.EQUAL


def test_constant_answers() -> None:
    assert compare(sympy.Integer(-2), sympy.Integer(-2), seed=1).outcome is Outcome.EQUAL
    result = compare(sympy.Integer(2), sympy.Integer(-2), seed=1)
    assert result.outcome is Outcome.DIFFERENT and result.counterexample == {
        "at": {}, "expected": -2.0, "actual": 2.0,
    }
    assert check("-b/(2*a)", -b / (2 * a)).outcome is Outcome.EQUAL
    assert check("-b/2*a", -b / (2 * a)).outcome is Outcome.DIFFERENT


def test_domains_are_respected() -> None:
    assert compare(sympy.sqrt(x**2), x, seed=1).outcome is Outcome.DIFFERENT  # x < 0
    p = sympy.Symbol("p", positive=True)
    assert compare(sympy.sqrt(p**2), p, seed=1).outcome is Outcome.EQUAL
    assert compare(1 / x, sympy.Integer(0), seed=1).outcome is Outcome.DIFFERENT


def test_cancellation_in_double_precision_does_not_fake_a_difference() -> None:
    expanded = sympy.expand((x + y + 1) ** 30)
    assert compare((x + y + 1) ** 30, expanded, seed=3).outcome is Outcome.EQUAL


@pytest.mark.parametrize(
    "text",
    [
        "Sum(X[i]*(w*X[i] + b - Y[i]), (i, 1, m))/m",
        "Sum(X[j]*(w*X[j] + b - Y[j]), (j, 1, m))/m",  # another index name
        "(1/m)*Sum((w*X[k] + b - Y[k])*X[k], (k, 1, m))",
        "Sum(X[i]*(w*X[i] + b - Y[i])/m, (i, 1, m))",  # 1/m inside
        "w*Sum(X[i]**2, (i, 1, m))/m + b*Sum(X[i], (i, 1, m))/m - Sum(X[i]*Y[i], (i, 1, m))/m",
        "(w*Sum(X[i]^2, (i, 1, m)) + b*Sum(X[i], (i, 1, m)) - Sum(X[i]*Y[i], (i, 1, m)))/m",
        "1.0/m*Sum(X[j]*(w*X[j] + b - Y[j]), (j, 1, m))",
    ],
)
def test_partials_of_the_loss_in_several_forms_are_equal(text: str) -> None:
    result = check(text, DE_DW, sum_bound=m)
    assert result.outcome is Outcome.EQUAL, result.detail


def test_sum_bound_is_found_in_the_truth_when_not_given() -> None:
    assert check("Sum(X[j]*(w*X[j] + b - Y[j]), (j, 1, m))/m", DE_DW).outcome is Outcome.EQUAL
    assert check("w*Sum(X[i], (i, 1, m))/m + b - Sum(Y[i], (i, 1, m))/m", DE_DB).outcome is (
        Outcome.EQUAL
    )


@pytest.mark.parametrize(
    "text",
    [
        "Sum(X[i]*(w*X[i] + b - Y[i]), (i, 1, m))",  # missing 1/m
        "Sum(w*X[i] + b - Y[i], (i, 1, m))/m",  # missing the X[i] factor
        "2*Sum(X[i]*(w*X[i] + b - Y[i]), (i, 1, m))/m",
        "Sum(X[i]*(w*X[i] + b + Y[i]), (i, 1, m))/m",
    ],
)
def test_wrong_partials_name_m_and_the_values_in_the_counterexample(text: str) -> None:
    result = check(text, DE_DW, sum_bound=m)
    assert result.outcome is Outcome.DIFFERENT
    assert result.counterexample is not None
    at = result.counterexample["at"]
    assert next(iter(at)) == "m" and at["m"] in range(1, 6)
    assert "X[1]" in at and "w" in at


def test_sums_that_cannot_be_written_out_are_not_passed() -> None:
    n = sympy.Symbol("n", integer=True, positive=True)
    answer = sympy.Sum(X[i] * (w * X[i] + b - Y[i]), (i, 1, n)) / m
    result = compare(answer, DE_DW, seed=1, sum_bound=m, timeout=1.0)
    assert result.outcome is not Outcome.EQUAL


def _stall(*_args: object, **_kwargs: object) -> bool:
    while True:  # slow Python steps, as SymPy's simplify is; not this machine's speed
        time.sleep(0.01)


def test_equal_but_slow_to_prove_is_undecided_never_equal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(compare_module, "_simplify_equal", _stall)
    slow = (sympy.sin(x) ** 2 + sympy.cos(x) ** 2) * (x + y + c + 1) ** 8
    started = time.perf_counter()
    result = compare(slow, (x + y + c + 1) ** 8, seed=1, timeout=0.3)
    elapsed = time.perf_counter() - started
    assert (result.outcome, result.method) == (Outcome.UNDECIDED, "timeout")
    assert "could not be decided within 0.3 s" in result.detail and "agree" in result.detail
    assert elapsed < 1.5


def test_a_proof_within_the_timeout_is_equal() -> None:
    result = compare(sympy.sin(x) ** 2 + sympy.cos(x) ** 2, sympy.Integer(1), seed=1)
    assert (result.outcome, result.method) == (Outcome.EQUAL, "simplify")


def test_agreeing_points_without_a_proof_are_undecided() -> None:
    # log(x**2) = 2*log(x) wherever the truth is real (x > 0); SymPy cannot prove it for all x.
    result = compare(sympy.log(x**2), 2 * sympy.log(x), seed=1)
    assert (result.outcome, result.method) == (Outcome.UNDECIDED, "simplify")


@pytest.mark.linux_layers  # the fork's crash; tests/portable covers the judge's
def test_a_crashing_simplify_is_undecided(monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(fn: object, timeout: float) -> object:
        raise ChildCrashed("killed by signal SIGSEGV")

    monkeypatch.setattr(compare_module, "call_in_fork", crash)
    result = compare(sympy.sin(x) ** 2 + sympy.cos(x) ** 2, sympy.Integer(1), seed=1)
    assert (result.outcome, result.method) == (Outcome.UNDECIDED, "error")


def test_agrees_numerically_matches_named_wrong_answers() -> None:
    assert agrees_numerically(2 * x + 4, 2 * (x + 2), seed=1)
    assert not agrees_numerically(2 * x, 2 * (x + 2), seed=1)
    missing_m = sympy.Sum(X[i] * (w * X[i] + b - Y[i]), (i, 1, m))
    answer = parse_answer("Sum(X[j]*(w*X[j] + b - Y[j]), (j, 1, m))", SYMBOLS)
    assert agrees_numerically(answer, missing_m, seed=1, sum_bound=m)
    assert not agrees_numerically(answer, DE_DW, seed=1, sum_bound=m)
    assert not agrees_numerically(sympy.Function("f")(x), x, seed=1)  # nothing comparable


def test_typical_comparisons_are_fast() -> None:
    cases = [("2 + x", x + 2, {}), ("x + 3", x + 2, {}),
             ("Sum(X[j]*(w*X[j] + b - Y[j]), (j, 1, m))/m", DE_DW, {"sum_bound": m})]
    for text, truth, extra in cases:
        answer = parse_answer(text, SYMBOLS)
        started = time.perf_counter()
        compare(answer, truth, seed=1, **extra)  # type: ignore[arg-type]
        assert time.perf_counter() - started < 0.5


def test_a_different_answer_names_the_first_mistake_it_matches() -> None:
    result = compare(2 * x + 4, x + 2, seed=1, mistakes=[x, 2 * (x + 2), 2 * x + 4])
    assert (result.outcome, result.mistake) == (Outcome.DIFFERENT, 1)
    assert compare(2 * x + 5, x + 2, seed=1, mistakes=[x, 2 * (x + 2)]).mistake is None
    assert compare(x + 2, x + 2, seed=1, mistakes=[x + 2]).mistake is None  # equal: no mistake
    answer = parse_answer("Sum(X[j]*(w*X[j] + b - Y[j]), (j, 1, m))", SYMBOLS)
    assert compare(answer, DE_DW, seed=1, sum_bound=m, mistakes=[DE_DW * m]).mistake == 0


@pytest.mark.linux_layers  # patches reach a fork, not the spawned judge
def test_a_diagnosis_that_runs_out_of_time_keeps_the_verdict(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def stall(*_args: object, **_kwargs: object) -> bool:
        time.sleep(60)
        return True

    monkeypatch.setattr(compare_module, "agrees_numerically", stall)
    result = compare(x + 3, x + 2, seed=1, timeout=0.3, mistakes=[x + 3])
    assert (result.outcome, result.method, result.mistake) == (
        Outcome.DIFFERENT, "random-points", None)


@pytest.mark.linux_layers  # patches reach a fork, not the spawned judge
def test_a_comparison_stuck_beyond_its_deadline_is_killed_and_undecided(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Stuck where the soft deadline cannot reach (as in a long C call): the fork is killed.
    monkeypatch.setattr(compare_module, "_soft_deadline", lambda _deadline: nullcontext())
    monkeypatch.setattr(compare_module, "sample_points", lambda *_a, **_k: time.sleep(60))
    result = compare(x + 3, x + 2, seed=1, timeout=0.2)
    assert (result.outcome, result.method) == (Outcome.UNDECIDED, "timeout")
    assert "within 0.2 s" in result.detail


def test_the_soft_deadline_reports_what_the_sample_showed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(compare_module, "_simplify_equal", _stall)
    slow = (sympy.sin(x) ** 2 + sympy.cos(x) ** 2) * (x + y + c + 1) ** 8
    result = compare(slow, (x + y + c + 1) ** 8, seed=1, timeout=0.3)
    assert result.detail.endswith("(all 12 random points agree).")
