"""Answers equal to the truth pass in every reasonable form; assumptions do not matter."""

from __future__ import annotations

import pytest

from grader.course import CATALOG
from grader.model import Verdict
from tests.conftest import Build, grade_one

HEADER_02 = (
    "from sympy import IndexedBase, Rational, Sum, Symbol, symbols\n"
    "w, b = symbols('w b', real=True)\n"
    "m = Symbol('m')\n"  # no assumptions: must not matter
    "j = Symbol('j', integer=True, positive=True)\n"
    "X, Y = IndexedBase('X'), IndexedBase('Y')\n"
)

FORMS = [
    ("01", "derivative", "def derivative():\n    return 'x + 2'\n"),
    ("01", "derivative", "def derivative():\n    return '(2*x + 4)/2'\n"),
    ("01", "derivative", "def derivative():\n    return 'x + 2.0'\n"),
    ("01", "derivative",
     "import sympy\ndef derivative():\n    x = sympy.Symbol('x', real=True)\n    return x + 2\n"),
    ("01", "derivative", "def derivative():\n    return '(x**2 + 2*x)/x'\n"),
    ("01", "minimizer", "def minimizer():\n    return -2.0\n"),
    ("01", "minimizer", "def minimizer():\n    return '-2'\n"),
    ("01", "general_minimizer", "def general_minimizer():\n    return '-b/(2*a)'\n"),
    ("01", "general_minimizer", "def general_minimizer():\n    return '-0.5*b/a'\n"),
    ("01", "general_derivative", "def general_derivative():\n    return 'b + 2*x*a'\n"),
    ("02", "df_dx", "def df_dx():\n    return '4*(x + y)'\n"),
    ("02", "dE_dw", HEADER_02 + "def dE_dw():\n"
     "    return Sum((w*X[j] + b - Y[j])*X[j], (j, 1, m))/m\n"),
    ("02", "dE_dw", HEADER_02 + "def dE_dw():\n"
     "    return Sum((w*X[j] + b - Y[j])*X[j]/m, (j, 1, m))\n"),
    ("02", "dE_dw", HEADER_02 + "def dE_dw():\n"
     "    return (w*Sum(X[j]**2, (j, 1, m)) + b*Sum(X[j], (j, 1, m))\n"
     "            - Sum(X[j]*Y[j], (j, 1, m)))/m\n"),
    ("02", "dE_dw", "def dE_dw():\n    return 'Sum((w*X[i] + b - Y[i])*X[i], (i, 1, m))/m'\n"),
    ("02", "dE_db", HEADER_02 + "def dE_db():\n"
     "    return Rational(1, 2)/m * Sum(2*(w*X[j] + b - Y[j]), (j, 1, m))\n"),
]


@pytest.mark.parametrize(("exercise", "function", "source"), FORMS,
                         ids=[f"{f[1]}-{n}" for n, f in enumerate(FORMS)])
def test_an_equivalent_form_passes(make_submission: Build, exercise, function, source):
    folder = make_submission(**{f"exercise{exercise}": source})
    result = next(t for t in grade_one(folder, exercise).tests if t.function == function)
    assert result.verdict is Verdict.PASSED, result.rationale


@pytest.mark.parametrize(
    "answer", ["0.333*x + 2", "x + 2 + 1e-3", "2x + 2", "__import__('os')", "Derivative(x**2/2)"]
)
def test_near_misses_and_unreadable_strings_do_not_pass(make_submission: Build, answer: str):
    folder = make_submission(exercise01=f"def derivative():\n    return {answer!r}\n")
    result = grade_one(folder, "01").tests[0]
    assert result.verdict in (Verdict.FAILED, Verdict.ERROR)
    assert result.score == 0


TRIG = "def derivative():\n    return 'sin(x)**2 + cos(x)**2 + x + 1'\n"


def test_an_undecided_comparison_is_neither_pass_nor_fail(make_submission: Build, monkeypatch):
    derivative = CATALOG[0].checks[0]
    monkeypatch.setattr(derivative, "_timeout", 0.001)
    monkeypatch.setattr(derivative, "_verdicts", type(derivative._verdicts)())
    folder = make_submission(exercise01=TRIG)
    result = grade_one(folder, "01").tests[0]
    assert result.verdict is Verdict.UNDECIDED, result.rationale
    assert result.score == 0
    assert "could not be decided" in result.rationale
    assert "not counted as wrong" in result.rationale


def test_a_trigonometric_identity_is_proven_by_simplify(make_submission: Build):
    folder = make_submission(exercise01=TRIG)
    assert grade_one(folder, "01").tests[0].verdict is Verdict.PASSED
