"""Category 3: answers built to make SymPy hang end within a time limit, never as passed."""

from __future__ import annotations

import time

import pytest
import sympy

from grader.errors import AnswerRejected
from grader.model import Verdict
from grader.symbolic import Outcome, compare, parse_answer
from tests.conftest import SOLUTIONS, Build, grade_one
from tests.security.helpers import verdicts

x = sympy.Symbol("x")
_PRODUCT = "*".join(f"(x+{i})**60" for i in range(1, 9))

# Wrong answers to d/dx (x²/2 + 2x) = x + 2, each expensive to expand, simplify or evaluate.
BOMBS = {
    "tiny wrong term over a huge product":
        f"x + 2 + (sin(x)**2 + cos(x)**2 - 1 + 10**-30)*{_PRODUCT}",
    "off by 10**-30": "x + 2 + 10**-30",
    "expand bomb": _PRODUCT,
    "exp tower": "exp(" * 30 + "x" + ")" * 30,
    "log tower": "log(" * 30 + "x" + ")" * 30,
    "huge power": "(x + 1)**(10**12)",
    "nested powers": "((((x+1)**64)**64)**64)**64",
    "sum of big terms": "+".join(f"(x+{i})**64" for i in range(40)),
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_an_expensive_wrong_answer_ends_in_time_and_does_not_pass(name: str):
    started = time.perf_counter()
    try:
        answer = parse_answer(BOMBS[name], {"x": x})
    except AnswerRejected:
        outcome = None  # refused before any work: the fastest end of all
    else:
        outcome = compare(answer, x + 2, seed=7, timeout=1.0).outcome
    assert outcome is not Outcome.EQUAL
    assert time.perf_counter() - started < 10.0


def test_a_correct_but_expensive_answer_is_at_worst_undecided():
    answer = parse_answer(f"x + 2 + (sin(x)**2 + cos(x)**2 - 1)*{_PRODUCT}", {"x": x})
    started = time.perf_counter()
    outcome = compare(answer, x + 2, seed=7, timeout=1.0).outcome
    assert outcome in (Outcome.EQUAL, Outcome.UNDECIDED)
    assert time.perf_counter() - started < 10.0


def test_expensive_code_in_the_student_function_times_out(make_submission: Build):
    source = (SOLUTIONS / "01_quadratic.py").read_text() + (
        "\n\ndef derivative():\n"
        "    return sympy.expand((x + 1) ** 5000 * (x + 2) ** 5000)\n"
        "\n\ndef general_derivative():\n"
        "    return sympy.simplify((sympy.sin(x) ** 2 + sympy.cos(x) ** 2) ** 200 "
        "- (x + 1) ** 300)\n"
    )
    folder = make_submission(exercise01=source)
    started = time.perf_counter()
    got = verdicts(grade_one(folder, "01"))
    assert got["derivative"] is Verdict.ERROR
    assert got["general_derivative"] is not Verdict.PASSED
    assert got["minimizer"] is Verdict.PASSED
    assert time.perf_counter() - started < 20.0
