"""The tutor's plots draw the student's own values, on a pass as on a failure, from the evidence."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pytest

from grader.model import CheckResult, Counterexample, Sample, SubmissionResult, Verdict
from tests.conftest import Build, grade_one
from tui.plots import PlotData, Series, plots_for, seed000_trajectory

# Passing answers that are not the grader's truth bit for bit: a plot that drew the truth in
# their place would be caught.
STUDENT_03 = '''
def step(w, grad, lr):
    return w - lr * grad * (1 + 1e-11)


def descend(grad_fn, w0, lr, steps):
    path = [w0]
    for _ in range(steps):
        path.append(step(path[-1], grad_fn(path[-1]), lr))
    return path
'''
STUDENT_04 = '''
import numpy as np


def sigmoid(h):
    return 1.0 / (1.0 + np.exp(-np.asarray(h, dtype=float))) * (1 + 1e-12)


def sigmoid_prime(h):
    s = sigmoid(h)
    return s * (1.0 - s)


def delta_w(x, y, w, lr):
    h = float(np.dot(x, w))
    return lr * (y - sigmoid(h)) * sigmoid_prime(h) * np.asarray(x, dtype=float)
'''


def _own(source: str) -> dict[str, Any]:
    """The student's functions, run here to know what they return (tests trust this code)."""
    namespace: dict[str, Any] = {}
    exec(compile(source, "student", "exec"), namespace)
    return namespace


def _student(plot: PlotData) -> Series:
    return next(s for s in plot.series if s.role == "student")


def _graded(make_submission: Build, exercise: str, source: str) -> list[CheckResult]:
    folder = make_submission(**{exercise: source})
    return list(grade_one(folder, exercise).tests)


def test_a_passing_descend_draws_the_students_own_trajectory(make_submission: Build) -> None:
    results = _graded(make_submission, "03_update_step", STUDENT_03)
    assert all(r.verdict is Verdict.PASSED for r in results)
    path, loss = plots_for("03_update_step", results)
    theirs = _own(STUDENT_03)["descend"](lambda w: w + 2.0, 3.0, 0.2, 10)
    assert _student(path).ys == tuple(theirs)
    assert _student(path).ys != tuple(seed000_trajectory())  # theirs, not the truth redrawn
    assert _student(loss).ys == tuple(w * w / 2 + 2 * w for w in theirs)
    assert "passed" in path.note


def test_passing_sigmoid_functions_draw_the_students_curves(make_submission: Build) -> None:
    results = _graded(make_submission, "04_sigmoid_delta", STUDENT_04)
    assert all(r.verdict is Verdict.PASSED for r in results)
    sigma, prime = plots_for("04_sigmoid_delta", results)
    own = _own(STUDENT_04)
    for plot, function in ((sigma, own["sigmoid"]), (prime, own["sigmoid_prime"])):
        student = _student(plot)
        assert set(np.linspace(-6.0, 6.0, 49).tolist()) <= set(student.xs)  # the whole curve
        assert student.ys == tuple(float(function(h)) for h in student.xs)
        assert "passed" in plot.note


def test_evidence_survives_the_json_round_trip_and_is_bounded(make_submission: Build) -> None:
    results = _graded(make_submission, "04_sigmoid_delta", STUDENT_04)
    result = SubmissionResult("s", tuple(results), 0.0, "t", 0, "none")
    again = SubmissionResult.from_dict(json.loads(json.dumps(result.to_dict())))
    assert again == result and all(t.evidence for t in again.tests)
    for test in results:  # the budget of base.EVIDENCE_NUMBERS, inputs and answers together
        assert len(json.dumps([s.__dict__ for s in test.evidence])) < 600 * 25


def _failed(exercise: str, function: str, **extra: Any) -> CheckResult:
    return CheckResult(exercise, function, Verdict.FAILED, 0.0, 2.0, "why", **extra)


def test_a_diverging_descend_from_the_evidence_is_cut_where_it_stops_being_finite() -> None:
    actual = [3.0, 9.0, 81.0, 6561.0, math.inf, math.nan]
    seed = Sample("seed 000", {"grad_fn": "…", "w0": 3.0, "lr": 0.2, "steps": 10}, actual)
    path, loss = plots_for("03_update_step", [_failed("03_update_step", "descend",
                                                      evidence=(seed,))])
    assert _student(path).ys == (3.0, 9.0, 81.0, 6561.0)
    assert all(math.isfinite(y) for plot in (path, loss) for s in plot.series for y in s.ys)


def test_a_failure_elsewhere_than_seed_000_draws_the_case_that_went_wrong() -> None:
    seed = Sample("seed 000", {"grad_fn": "…", "w0": 3.0, "lr": 0.2, "steps": 10},
                  seed000_trajectory())
    example = Counterexample({"grad_fn": "…", "w0": 1.0, "lr": 0.1, "steps": 2},
                             [1.0, 0.7, 0.43], [1.0, 0.7, 0.7])
    (plot,) = plots_for("03_update_step", [_failed("03_update_step", "descend", evidence=(seed,),
                                                   counterexample=example)])
    assert _student(plot).ys == (1.0, 0.7, 0.7) and "w0 = 1.0" in plot.note


def test_sigmoid_evidence_skips_non_finite_values_and_far_points() -> None:
    sample = Sample("grid", {"h": [-9.0, -1.0, 0.0, 1.0]}, [0.0, math.nan, 0.5, 0.7])
    _sigma, prime = plots_for("04_sigmoid_delta", [_failed("04_sigmoid_delta", "sigmoid_prime",
                                                           evidence=(sample,))])
    assert _student(prime).xs == (0.0, 1.0) and _student(prime).ys == (0.5, 0.7)


_PATH = [w + 1e-9 for w in seed000_trajectory()]


def _passing_03(exercises: list[str]) -> SubmissionResult:
    seed = Sample("seed 000", {"grad_fn": "…", "w0": 3.0, "lr": 0.2, "steps": 10}, _PATH)
    tests = [CheckResult("03_update_step", "step", Verdict.PASSED, 1.0, 1.0, "ok"),
             CheckResult("03_update_step", "descend", Verdict.PASSED, 2.0, 2.0, "ok",
                         evidence=(seed,))]
    return SubmissionResult("local", tuple(t for t in tests if t.exercise in exercises), 0.0,
                            "t", 0, "none")


@pytest.mark.anyio
async def test_the_plot_pane_shows_for_a_passing_exercise(make_app: Any, fake: Any,
                                                          settle: Any) -> None:
    from tui.widgets.plot import Chart, ChartPanel

    app = make_app(fake(answer=_passing_03))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot, until=lambda: app.tutor["03_update_step"].checks_done > 0)
        await pilot.press("j", "j")
        await pilot.pause()
        assert app.screen.selected_id == "03_update_step"
        chart = app.screen.query_one("#chart-0", Chart)
        assert app.screen.query_one(ChartPanel).display and chart.display
        assert chart.data is not None and _student(chart.data).ys == tuple(_PATH)
