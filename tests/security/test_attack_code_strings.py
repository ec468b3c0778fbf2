"""Category 2: answer strings that would run code if evaluated are refused fast, never run."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import sympy

from grader.errors import AnswerRejected
from grader.model import Verdict
from grader.symbolic import parse_answer
from tests.conftest import SOLUTIONS, Build, grade_one
from tests.security.helpers import verdicts

SYMBOLS = {"x": sympy.Symbol("x")}


def payloads(marker: Path) -> dict[str, str]:
    """Answers that, evaluated anywhere, would create `marker` (or worse)."""
    touch = f"open({str(marker)!r}, 'w')"
    return {
        "import": f"__import__('os').system('touch {marker}')",
        "builtin call": touch,
        "attribute walk": "().__class__.__bases__[0].__subclasses__()",
        "subclasses via x": "x.__class__.__mro__[-1].__subclasses__()",
        "lambda": f"(lambda: {touch})()",
        "comprehension": f"[{touch} for _ in [1]]",
        "walrus": f"(y := {touch})",
        "f-string": f"f'{{{touch}}}'",
        "keyword smuggling": f"exp(x, evaluate={touch})",
        "sympify inside": f"sympify({touch!r})",
        "eval inside": f"eval({touch!r})",
        "statement": f"x; {touch}",
        "huge literal": "9" * 100_000,
        "tower of powers": "9**9**9**9**9",
        "deep nesting": "(" * 5000 + "x" + ")" * 5000,
        "long sum": "+".join(["x"] * 20_000),
        "unicode escape": "x\u202e + 2",
    }


def test_each_payload_is_rejected_fast_and_runs_nothing(tmp_path: Path):
    marker = tmp_path / "marker"
    for name, text in payloads(marker).items():
        started = time.perf_counter()
        with pytest.raises(AnswerRejected):
            parse_answer(text, SYMBOLS)
        assert time.perf_counter() - started < 1.0, name
        assert not marker.exists(), name


def test_payloads_returned_by_student_code_are_refused(make_submission: Build, tmp_path: Path):
    marker = tmp_path / "marker"
    chosen = payloads(marker)
    source = (SOLUTIONS / "01_quadratic.py").read_text() + "\n\nANSWERS = " + repr(
        [chosen[k] for k in ("import", "attribute walk", "lambda", "tower of powers")]
    ) + "\n\ndef derivative():\n    return ANSWERS[0]\n\ndef general_derivative():\n" \
        "    return ANSWERS[1]\n\ndef general_minimizer():\n    return ANSWERS[3]\n"
    folder = make_submission(exercise01=source)
    got = verdicts(grade_one(folder, "01"))
    for function in ("derivative", "general_derivative", "general_minimizer"):
        assert got[function] is Verdict.ERROR, function
    assert got["minimizer"] is Verdict.PASSED
    assert not marker.exists()
