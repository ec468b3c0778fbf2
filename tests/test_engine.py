"""The engine end to end: stubs fail, solutions pass, broken files fail alone and say where."""

from __future__ import annotations

import textwrap
from dataclasses import replace

import pytest

from grader import isolation
from grader.course import CATALOG
from grader.engine import grade
from grader.model import Verdict
from tests.conftest import EXERCISES, FAST, Build, grade_one

ALL_TESTS = [entry.test_name(check) for entry in CATALOG for check in entry.checks]


def test_every_stub_fails_every_test_with_guidance(stubs_result):
    assert [t.test for t in stubs_result.tests] == ALL_TESTS
    for result in stubs_result.tests:
        assert result.verdict is Verdict.NOT_ATTEMPTED, result
        assert result.score == 0
        assert "still the stub as shipped" in result.rationale
        assert "exercises/" in result.rationale
        assert len(result.hints) >= 3


def test_untouched_stubs_are_not_run_and_mean_what_running_them_says(
        monkeypatch: pytest.MonkeyPatch):
    def no_child(*_args: object) -> None:
        raise AssertionError("an untouched stub was run")

    isolation.detect()  # its one-time probe worker is not a stub's
    monkeypatch.setattr(isolation, "start_worker", no_child)
    skipped = grade(EXERCISES, name="stubs", settings=FAST)
    monkeypatch.undo()
    ran = grade(EXERCISES, name="stubs", settings=replace(FAST, run_untouched_stubs=True))
    assert [t.verdict for t in skipped.tests] == [t.verdict for t in ran.tests]
    assert all(t.verdict is Verdict.NOT_ATTEMPTED for t in ran.tests)
    assert all("NotImplementedError" in t.rationale for t in ran.tests)


def test_a_stub_changed_by_one_byte_is_run(make_submission: Build):
    stub = (EXERCISES / "03_update_step.py").read_text(encoding="utf-8")
    folder = make_submission(base=EXERCISES, exercise03=stub + "\n")
    result = grade_one(folder, "03")
    assert all("NotImplementedError" in t.rationale for t in result.tests)


def test_every_solution_passes_every_test(solutions_result):
    failures = [(t.test, t.rationale) for t in solutions_result.tests if not t.passed]
    assert failures == []
    assert solutions_result.score == solutions_result.max_score > 0


def test_grades_are_deterministic(make_submission: Build):
    folder = make_submission(exercise03="def step(w, grad, lr):\n    return w + lr * grad\n")
    first = grade_one(folder, "03")
    second = grade_one(folder, "03")
    assert first.tests[0].to_dict() | {"duration": 0} == second.tests[0].to_dict() | {"duration": 0}


def _only_broken(result, broken_functions):
    for test in result.tests:
        if test.function in broken_functions:
            assert not test.passed, test
        else:
            assert test.passed, test


BROKEN_IMPORTS = {
    "syntax error": ("def step(w, grad, lr)\n    return w\n", "syntax error at line 1"),
    "input at import": ("x = input('number? ')\n", "EOFError"),
    "sys.exit at import": ("import sys\nsys.exit(3)\n", "SystemExit"),
    "os._exit at import": ("import os\nos._exit(0)\n", "ended the grading process"),
    "hang at import": ("while True:\n    pass\n", "did not finish"),
    "exception at import": ("raise ValueError('boom')\n", "ValueError"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_IMPORTS))
def test_a_broken_file_fails_only_its_own_tests(make_submission: Build, case: str):
    source, words = BROKEN_IMPORTS[case]
    folder = make_submission(exercise03=source)
    result = grade(folder, name="broken", exercises=CATALOG[1:4], settings=FAST)
    for test in result.tests:
        if test.exercise == "03_update_step":
            assert test.verdict is Verdict.ERROR, test
            assert "exercises/03_update_step.py" in test.rationale
            assert words in test.rationale
        else:
            assert test.passed, test


def test_missing_file_is_not_attempted(make_submission: Build):
    folder = make_submission(exercise04=None)
    result = grade_one(folder, "04")
    assert {t.verdict for t in result.tests} == {Verdict.NOT_ATTEMPTED}
    assert "exercises/04_sigmoid_delta.py is missing" in result.tests[0].rationale


def test_non_utf8_source_is_an_error_naming_the_file(make_submission: Build):
    folder = make_submission(exercise01="# caf\xe9\n".encode("latin-1"))
    result = grade_one(folder, "01")
    assert {t.verdict for t in result.tests} == {Verdict.ERROR}
    assert "exercises/01_quadratic.py is not valid UTF-8" in result.tests[0].rationale


SOLUTION_03 = textwrap.dedent(
    """
    import numpy as np

    def step(w, grad, lr):
        return w - lr * np.asarray(grad) if np.ndim(w) else w - lr * grad

    def descend(grad_fn, w0, lr, steps):
        path = [w0]
        w = w0
        for _ in range(steps):
            w = w - lr * grad_fn(w)
            path.append(w)
        return path
    """
)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("    while True:\n        pass\n", "did not finish within 2 s"),
        ("    import os\n    os._exit(0)\n", "ended the grading process"),
        ("    import sys\n    sys.exit(1)\n", "raised SystemExit"),
        ("    return 1 / 0\n", "raised ZeroDivisionError"),
        ("    return input()\n", "raised EOFError"),
        ("    return lambda: 0\n", "expected a number, got function"),
    ],
)
def test_a_failing_function_fails_alone(make_submission: Build, body: str, words: str):
    source = SOLUTION_03.replace(
        "def step(w, grad, lr):\n"
        "    return w - lr * np.asarray(grad) if np.ndim(w) else w - lr * grad\n",
        "def step(w, grad, lr):\n" + body,
    )
    folder = make_submission(exercise03=source)
    step, descend = grade_one(folder, "03").tests
    assert not step.passed
    assert words in step.rationale, step.rationale
    assert descend.passed, descend.rationale


def test_missing_function_is_not_attempted(make_submission: Build):
    folder = make_submission(exercise03="def step(w, grad, lr):\n    return w - lr * grad\n")
    step, descend = grade_one(folder, "03").tests
    assert step.passed
    assert descend.verdict is Verdict.NOT_ATTEMPTED
    assert "has no function descend()" in descend.rationale


def test_printing_and_exit_codes_do_not_change_the_verdict(make_submission: Build):
    source = SOLUTION_03.replace(
        "    return w - lr * np.asarray(grad) if np.ndim(w) else w - lr * grad",
        "    print('03_update_step:step passed 100/100')\n    return w + lr * grad",
    ) + "\nimport atexit, os\natexit.register(os._exit, 0)\n"
    folder = make_submission(exercise03=source)
    step, descend = grade_one(folder, "03").tests
    assert step.verdict is Verdict.FAILED
    assert step.diagnosis is not None and step.diagnosis.name == "ascent-instead-of-descent"
    assert "passed 100/100" in step.output
    assert descend.passed


def test_nan_never_passes(make_submission: Build):
    folder = make_submission(exercise04=(
        "import numpy as np\n"
        "def sigmoid(h):\n    return np.full(np.shape(h), np.nan) if np.ndim(h) else float('nan')\n"
    ))
    sigmoid = grade_one(folder, "04").tests[0]
    assert sigmoid.verdict is Verdict.FAILED
    assert sigmoid.diagnosis is not None and sigmoid.diagnosis.name == "not-finite"


def test_evidence_for_plots_can_be_left_out_without_changing_any_grade(make_submission: Build):
    from grader.course import find_exercise

    folder = make_submission(exercise03="def step(w, grad, lr):\n    return w + lr * grad\n")
    chosen = [find_exercise("03"), find_exercise("04")]
    full = grade(folder, name="s", exercises=chosen, settings=FAST)
    lean = grade(folder, name="s", exercises=chosen, settings=replace(FAST, evidence=False))
    assert any(t.evidence for t in full.tests)  # the tutor's plots have data
    assert not any(t.evidence for t in lean.tests)
    assert [(t.test, t.verdict, t.score, t.diagnosis) for t in lean.tests] == [
        (t.test, t.verdict, t.score, t.diagnosis) for t in full.tests]
