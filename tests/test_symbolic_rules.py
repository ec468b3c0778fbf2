"""Symbolic mistakes named by rule (the term they touched in the message), never a correct form,
and counterexamples at small whole numbers with both sides worked out in one line."""

from __future__ import annotations

import json

import pytest
import sympy

from grader.course import find_exercise
from grader.model import Verdict
from grader.symbolic import Outcome, agrees_numerically, compare
from grader.symbolic.hand_examples import hand_counterexample
from grader.symbolic.mistake_rules import Problem, candidates
from tests.conftest import Build, grade_one
from tests.test_equivalent_forms import FORMS


def _returns(function: str, answer: str) -> str:
    # A string answer is read with the exercise's own symbols.
    return f"def {function}():\n    return {answer!r}\n"


# (exercise, function, answer, diagnosis id, text the message must hold: the term touched)
NAMED = [
    ("01", "derivative", "x/2 + 2", "power-rule-no-factor", "x²/2"),
    ("01", "derivative", "x**2 + 2", "power-rule-kept-exponent", "x²/2"),
    ("01", "derivative", "2", "dropped-term", "x²/2"),
    ("01", "derivative", "x - 2", "term-sign-flipped", "2·x"),
    ("01", "derivative", "3*x", "kept-the-variable", "2·x"),
    ("01", "derivative", "x/2 + 1", "missing-factor-2", "half"),
    ("01", "minimizer", "-4", "solved-f-not-derivative", "f(x) = 0"),
    ("01", "general_minimizer", "-(b + c)/(2*a)", "constant-term-kept",
     "c does not depend on x"),
    ("02", "df_dy", "4*x*y + 2", "kept-the-variable",
     "In ∂/∂y of 4·x·y you kept y: the derivative of 4·x·y in y is 4·x."),
    ("02", "df_dx", "4*x*y + 4*x", "kept-the-variable", "4·x·y"),
    ("02", "df_dy", "4*x + 4*y + 2", "other-variable-differentiated", "4·x·y"),
    ("02", "df_dx", "4*x + 2", "wrong-variable", "in y, not in x"),
    ("02", "dE_dw", "Sum((w*X[i] + b - Y[i])*X[i], (i, 1, m))/m**2", "extra-1/m", "1/m"),
    ("02", "dE_dw", "Sum(2*(w*X[i] + b - Y[i])*X[i], (i, 1, m))", "missing-1/(2m)",
     "1/(2·m)"),
    ("02", "dE_dw", "Sum((w*X[i] + b - Y[i])*X[i], (i, 0, m - 1))/m", "sum-range-shifted",
     "i = 0..m - 1"),
    ("02", "dE_dw", "(w*X[i] + b - Y[i])*X[i]/m", "sum-missing", "no sum over i"),
    ("02", "dE_dw", "Sum((w*X[i] - Y[i])*X[i], (i, 1, m))/m", "inner-term-dropped",
     "b left out of b + w·X[i] - Y[i]"),
    ("02", "dE_db", "Sum(w*X[i] + b + Y[i], (i, 1, m))/m", "inner-term-sign-flipped",
     "the sign of -Y[i]"),
]


@pytest.mark.parametrize(("exercise", "function", "answer", "name", "term"), NAMED,
                         ids=[f"{n[1]}:{n[3]}:{n[2]}" for n in NAMED])
def test_a_rule_names_the_mistake_and_the_term(
    make_submission: Build, exercise: str, function: str, answer: str, name: str, term: str
):
    folder = make_submission(**{f"exercise{exercise}": _returns(function, answer)})
    result = next(t for t in grade_one(folder, exercise).tests if t.function == function)
    assert result.verdict is Verdict.FAILED, result.rationale
    assert result.diagnosis is not None, result.rationale
    assert (result.diagnosis.name, term in result.diagnosis.message) == (name, True), (
        result.diagnosis.message)


x = sympy.Symbol("x")


@pytest.mark.parametrize(("function", "answer", "name", "term"), [
    ((3 * x + 1) ** 2, 2 * (3 * x + 1), "chain-rule-inner-missing", "= 3"),
    ((3 * x + 1) ** 2, 6 * (3 * x), "inner-term-dropped", "1 left out of 3·x + 1"),
    (x**3 + 5, 3 * x**2 + 5, "constant-term-kept", "5 does not depend on x"),
    (x**3 + 5, x**2, "power-rule-no-factor", "exponent 3 down"),
])
def test_the_rules_apply_to_any_function(function, answer, name, term):
    truth = sympy.diff(function, x)
    found = candidates(Problem(function, x), truth)
    result = compare(answer, truth, seed=7, mistakes=[c.answer for c in found])
    assert result.outcome is Outcome.DIFFERENT and result.mistake is not None
    diagnosis = found[result.mistake].diagnosis()
    assert (diagnosis.name, term in diagnosis.message) == (name, True), diagnosis.message


def _rule_checks() -> list:
    return [check for exercise in ("01_quadratic", "02_partials")
            for check in find_exercise(exercise).checks if check._problem is not None]


@pytest.mark.parametrize("check", _rule_checks(), ids=lambda check: check.function)
def test_no_rule_builds_a_correct_form(check):
    bound = check._symbols().get(check._sum_bound) if check._sum_bound else None
    built = candidates(check._problem(), check.truth)
    assert len(check.named) > len(check.mistakes)  # the rules add names to every check
    for candidate in built:
        assert not agrees_numerically(candidate.answer, check.truth, seed=11, sum_bound=bound), (
            candidate.name)


@pytest.mark.parametrize(("exercise", "function", "source"), FORMS,
                         ids=[f"{f[1]}-{n}" for n, f in enumerate(FORMS)])
def test_an_equivalent_form_gets_no_diagnosis(make_submission: Build, exercise, function, source):
    folder = make_submission(**{f"exercise{exercise}": source})
    result = next(t for t in grade_one(folder, exercise).tests if t.function == function)
    assert (result.verdict, result.diagnosis) == (Verdict.PASSED, None), result.rationale


@pytest.mark.parametrize(("exercise", "function", "answer", "point", "working"), [
    ("01", "derivative", "x/2 + 2", {"x": 1},
     "At x = 1: expected 1 + 2 = 3, yours gives 1/2 + 2 = 5/2."),
    ("01", "derivative", "2*x + 1", {"x": 2},  # x = 1 gives 3 on both sides: the next point
     "At x = 2: expected 2 + 2 = 4, yours gives 4 + 1 = 5."),
    ("01", "minimizer", "-4", {}, "Expected -2, yours gives -4."),
    ("02", "df_dy", "4*x*y + 2", {"x": 1, "y": 2},
     "At x = 1, y = 2: expected 4 + 2 = 6, yours gives 8 + 2 = 10."),
])
def test_a_counterexample_is_worked_out_at_small_whole_numbers(
    make_submission: Build, exercise, function, answer, point, working
):
    folder = make_submission(**{f"exercise{exercise}": _returns(function, answer)})
    result = next(t for t in grade_one(folder, exercise).tests if t.function == function)
    example = result.counterexample
    assert example is not None
    assert (example.inputs, example.working) == (point, working)
    assert working in result.rationale
    assert json.loads(json.dumps(result.to_dict()))["counterexample"]["working"] == working


def test_a_sum_is_written_out_for_m_equal_2_when_m_equal_1_cannot_tell(make_submission: Build):
    # Without the 1/m the answer is right for m = 1: the example needs two samples.
    answer = "Sum((w*X[i] + b - Y[i])*X[i], (i, 1, m))"
    folder = make_submission(exercise02=_returns("dE_dw", answer))
    result = next(t for t in grade_one(folder, "02").tests if t.function == "dE_dw")
    example = result.counterexample
    assert example is not None and example.inputs["m"] == 2
    assert set(example.inputs) == {"m", "w", "b", "X[1]", "X[2]", "Y[1]", "Y[2]"}
    assert all(type(v) is int and abs(v) <= 3 for v in example.inputs.values())
    assert "expected 1/2·(" in example.working and "yours gives (" in example.working


W, B = sympy.symbols("w b")
M = sympy.Symbol("m", integer=True, positive=True)
INDEX = sympy.Symbol("i", integer=True)
XS, YS = sympy.IndexedBase("X"), sympy.IndexedBase("Y")
R = W * XS[INDEX] + B - YS[INDEX]
TRUTH_DW = sympy.Sum(R * XS[INDEX], (INDEX, 1, M)) / M


@pytest.mark.parametrize("answer", [
    sympy.Sum(R * XS[INDEX], (INDEX, 1, M)), sympy.Sum(R, (INDEX, 1, M)) / M, -TRUTH_DW,
    2 * TRUTH_DW,
    sympy.Sum(R * XS[INDEX], (INDEX, 0, M - 1)) / M, TRUTH_DW + sympy.sin(W),
])
def test_the_values_shown_are_the_values_at_the_point_shown(answer):
    example = hand_counterexample(answer, TRUTH_DW, bound=M, seed=3)
    assert example is not None
    assert example.inputs["m"] in (1, 2)
    values = {sympy.Symbol(name) if "[" not in name else
              sympy.IndexedBase(name[0])[int(name[2:-1])]: value
              for name, value in example.inputs.items() if name != "m"}

    def at(expr: sympy.Expr) -> float:
        written = expr.subs(M, example.inputs["m"]).doit()
        written = written.xreplace({s: v for s, v in values.items() if isinstance(s, sympy.Symbol)})
        return float(written.xreplace({s: v for s, v in values.items()
                                       if not isinstance(s, sympy.Symbol)}))

    assert example.expected == pytest.approx(at(TRUTH_DW))
    assert example.actual == pytest.approx(at(answer))
    assert example.expected != pytest.approx(example.actual)
