"""The tutor's plots draw the student's own values, on a pass as on a failure, from the evidence."""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest

from grader.checks import Case
from grader.checks.base import Call, Run
from grader.checks.evidence import counted_up, trained
from grader.model import CheckResult, Counterexample, Sample, SubmissionResult, Verdict
from grader.sandbox import CallOutcome, Outcome
from tests.conftest import SOLUTIONS, Build, grade_one
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


# --- 07 and 08: evidence that needs more calls, taken here with in-process "students" -------

_X = [[1.0, x / 10] for x in range(-10, 11, 2)]
_Y = [-2.0 + 3.0 * row[1] + 0.3 * math.sin(7.0 * row[1]) for row in _X]
_GD_NAMES = ("X", "y", "lr", "epochs", "batch_size", "seed")


def _minibatch_gd(X: Any, y: Any, lr: float, epochs: int, batch_size: int, seed: int,
                  scale: float = 1.0) -> np.ndarray:
    X, y = np.asarray(X), np.asarray(y)
    w = np.zeros(X.shape[1])
    for _epoch in range(epochs):  # full batch: batch_size = m in these cases
        w = w - lr * scale * X.T @ (X @ w - y) / len(X)
    return w


def _in_process(function: Callable[..., Any]) -> Call:
    return lambda cases: [function(*case.args) for case in cases]


def _run(case: Case, value: Any) -> Run:
    return Run(case, CallOutcome(Outcome.RETURNED, value))


def _regression(function: Callable[..., Any], verdict: Verdict) -> list[PlotData]:
    case = Case("seed 000's line", (np.array(_X), np.array(_Y), 0.5, 30, len(_X), 7), _GD_NAMES)
    evidence = counted_up("epochs")([_run(case, function(*case.args))], _in_process(function))
    result = CheckResult("07_linear_regression", "minibatch_gd", verdict, 0.0, 3.0, "why",
                         evidence=evidence)
    return plots_for("07_linear_regression", [result])


def _e(w: Sequence[float]) -> float:
    residuals = [row[0] * w[0] + row[1] * w[1] - t for row, t in zip(_X, _Y, strict=True)]
    return sum(r * r for r in residuals) / (2 * len(_X))


def test_minibatch_gd_draws_the_data_the_fitted_line_and_the_loss_per_epoch() -> None:
    line, losses = _regression(_minibatch_gd, Verdict.PASSED)
    data = next(s for s in line.series if s.role == "data")
    assert data.xs == tuple(row[1] for row in _X) and data.ys == tuple(_Y)
    w = _minibatch_gd(_X, _Y, 0.5, 30, len(_X), 7)
    assert _student(line).ys == tuple(row[0] * w[0] + row[1] * w[1] for row in _X)
    per_epoch = [np.zeros(2)] + [_minibatch_gd(_X, _Y, 0.5, e, len(_X), 7) for e in range(1, 31)]
    assert _student(losses).ys == pytest.approx([_e(w) for w in per_epoch], rel=1e-12)
    truth = next(s for s in losses.series if s.role == "truth")
    assert truth.ys == pytest.approx(_student(losses).ys, rel=1e-9)  # theirs is exact GD
    assert truth.ys[-1] < truth.ys[0] / 10 and "passed" in line.note


def test_a_diverging_minibatch_gd_is_drawn_up_to_where_its_loss_stops_being_finite() -> None:
    summing = functools.partial(_minibatch_gd, scale=float(len(_X)) * 1e6)  # blows up
    with np.errstate(all="ignore"):
        line, losses = _regression(summing, Verdict.FAILED)
    student = _student(losses)
    assert 2 < len(student.ys) < 31 and list(student.ys) == sorted(student.ys)  # climbs
    assert all(math.isfinite(y) for plot in (line, losses) for s in plot.series for y in s.ys)
    assert all(s.role != "student" for s in line.series)  # no line for an infinite w


_NET_NAMES = ("X", "y", "W1", "W2")


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _backprop(X: Any, y: Any, W1: Any, W2: Any, sign: float = 1.0) -> list[Any]:
    X, y, W1, W2 = (np.asarray(a, dtype=float) for a in (X, y, W1, W2))
    H = _sigmoid(X @ W1)
    out = H @ W2
    d_out = (out - y) / len(X)
    dW2 = H.T @ d_out
    dW1 = X.T @ ((d_out @ W2.T) * H * (1 - H))
    return [float(np.sum((out - y) ** 2) / (2 * len(X))), sign * dW1, sign * dW2]


def _training(function: Callable[..., Any], verdict: Verdict) -> tuple[PlotData, Case]:
    rng = np.random.default_rng(1)
    case = Case("a network", (rng.normal(0, 1, (8, 3)), rng.normal(0, 1, (8, 1)),
                              rng.normal(0, 1, (3, 4)), rng.normal(0, 1, (4, 1))), _NET_NAMES)
    evidence = trained(lambda c: _backprop(*c.args), weights=("W1", "W2"), steps=6, lr=0.5)(
        [_run(case, function(*case.args))], _in_process(function))
    result = CheckResult("08_backprop", "backprop", verdict, 0.0, 4.0, "why", evidence=evidence)
    (plot,) = plots_for("08_backprop", [result])
    return plot, case


def _descended(case: Case, sign: float) -> list[float]:
    X, y, W1, W2 = case.args
    losses = []
    for _step in range(7):
        loss, dW1, dW2 = _backprop(X, y, W1, W2)
        losses.append(loss)
        W1, W2 = W1 - 0.5 * sign * dW1, W2 - 0.5 * sign * dW2
    return losses


def test_backprop_draws_training_with_the_students_gradients_against_the_true_ones() -> None:
    negated = functools.partial(_backprop, sign=-1.0)
    plot, case = _training(negated, Verdict.FAILED)
    truth = next(s for s in plot.series if s.role == "truth")
    assert truth.ys == pytest.approx(_descended(case, 1.0), rel=1e-12)
    assert _student(plot).ys == pytest.approx(_descended(case, -1.0), rel=1e-12)
    assert _student(plot).ys[-1] > _student(plot).ys[0] > truth.ys[-1]  # theirs climbs


def test_a_passing_backprop_trains_as_the_truth_does() -> None:
    plot, _case = _training(_backprop, Verdict.PASSED)
    truth = next(s for s in plot.series if s.role == "truth")
    assert _student(plot).ys == pytest.approx(truth.ys) and len(truth.ys) == 7
    assert "passed" in plot.note


def test_the_grader_records_training_with_a_students_negated_gradients(
        make_submission: Build) -> None:
    source = (SOLUTIONS / "08_backprop.py").read_text(encoding="utf-8")
    negated = source.replace("    return loss, dW1, dW2", "    return loss, -dW1, -dW2")
    (result,) = _graded(make_submission, "08_backprop", negated)
    assert result.verdict is Verdict.FAILED
    (plot,) = plots_for("08_backprop", [result])
    truth, student = plot.series
    assert len(truth.ys) == 11 and truth.ys[-1] < truth.ys[0]  # true gradients descend
    assert student.ys[0] == truth.ys[0] and student.ys[-1] > student.ys[0]  # theirs climbs


# --- 06 and 09: the student's losses on the catalog's grids, and each node's gradient -------

STUDENT_06 = '''
import numpy as np


def mae(pred, target):
    return float(np.mean(np.abs(np.asarray(pred) - np.asarray(target)))) * (1 + 1e-12)


def mse(pred, target):
    errors = np.asarray(pred, dtype=float) - np.asarray(target, dtype=float)
    return float(np.sum(errors ** 2) / (2 * len(errors))) * (1 + 1e-12)


def binary_cross_entropy(p, y):
    p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=float)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))) * (1 + 1e-12)
'''
_TARGETS = np.array([0.5, -1.0])  # the two targets of ex06's grid, each prediction off by e


def _series(plot: PlotData, label: str) -> Series:
    return next(s for s in plot.series if s.label == label)


def test_passing_losses_draw_the_students_values_on_the_grids(make_submission: Build) -> None:
    results = _graded(make_submission, "06_losses", STUDENT_06)
    assert all(r.verdict is Verdict.PASSED for r in results)
    errors, entropy = plots_for("06_losses", results)
    own = _own(STUDENT_06)
    for name, function in (("MAE", own["mae"]), ("MSE", own["mse"])):
        yours = _series(errors, f"{name}: yours")
        assert yours.xs == tuple(k / 2 for k in range(-4, 5))  # the whole grid, in order
        assert yours.ys == tuple(function(_TARGETS + e, _TARGETS) for e in yours.xs)
    for label in (1.0, 0.0):
        yours = _series(entropy, f"y = {label:g}: yours")
        assert set(np.linspace(0.02, 0.98, 13).tolist()) <= set(yours.xs)
        assert yours.ys == tuple(own["binary_cross_entropy"](np.array([p]), np.array([label]))
                                 for p in yours.xs)
    truth = _series(entropy, "y = 1: truth")
    assert truth.ys[0] == pytest.approx(-math.log(0.02)) and truth.ys[-1] == pytest.approx(
        -math.log(0.98))
    assert errors.note.count("passed") == 2 and "passed" in entropy.note


def test_seed_001s_swapped_cross_entropy_shows_as_values_that_are_not_finite(
        make_submission: Build) -> None:
    source = (SOLUTIONS / "06_losses.py").read_text(encoding="utf-8")
    swapped = source.replace("    p, y = _floats(p), _floats(y)\n",
                             "    p, y = _floats(y), _floats(p)  # seed 001's order\n")
    assert swapped != source
    results = {r.function: r for r in _graded(make_submission, "06_losses", swapped)}
    bce = results["binary_cross_entropy"]
    assert bce.verdict is Verdict.FAILED and bce.diagnosis is not None
    assert bce.diagnosis.name == "p-and-y-swapped"
    errors, entropy = plots_for("06_losses", list(results.values()))
    assert [s.role for s in entropy.series] == ["truth", "truth"]  # log 0 of a 0/1 label: ∞
    assert "not finite" in entropy.note and "binary_cross_entropy" in entropy.note
    assert all(math.isfinite(y) for s in entropy.series for y in s.ys)
    assert errors.note.count("passed") == 2  # mae and mse are the solution's


def test_value_draws_each_nodes_gradient_against_autograds(make_submission: Build) -> None:
    source = (SOLUTIONS / "09_autodiff.py").read_text(encoding="utf-8")
    wrong_log = source.replace("self.grad += out.grad / self.data",
                               "self.grad += out.grad * self.data")
    assert wrong_log != source
    (wrong,) = _graded(make_submission, "09_autodiff", wrong_log)
    assert wrong.diagnosis is not None and wrong.diagnosis.name == "wrong-log-derivative"
    folder = make_submission(name="right")  # graded under the same name: the same graphs
    (right,) = grade_one(folder, "09_autodiff").tests
    assert right.verdict is Verdict.PASSED

    (plot,) = plots_for("09_autodiff", [wrong])
    theirs = {s.label: s.actual for s in wrong.evidence}
    truths = {s.label: s.actual for s in right.evidence}
    label = next(label for label in truths if not np.allclose(theirs[label][1],
                                                              truths[label][1]))
    points = sorted(zip(truths[label][1], theirs[label][1], strict=True))
    student = next(s for s in plot.series if s.role == "points")
    assert student.xs == pytest.approx([x for x, _y in points], rel=1e-9, abs=1e-12)
    assert sorted(student.ys) == sorted(y for _x, y in points)
    assert any(abs(x - y) > 1e-3 for x, y in points)  # theirs, off the diagonal
    off = [i for i, (a, b) in enumerate(zip(theirs[label][1], truths[label][1], strict=True))
           if not math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-8)]
    assert f"v{max(off)}:" in plot.note and label in plot.note

    (passing,) = plots_for("09_autodiff", [right])
    on_it = next(s for s in passing.series if s.role == "points")
    assert len(on_it.xs) > 10 and on_it.ys == pytest.approx(on_it.xs, rel=1e-9, abs=1e-12)
    assert "passed" in passing.note


_GRAPH = Sample("a small graph", {"graph": "v0 = Value(2); v1 = v0.log()"},
                [[2.0, math.log(2.0)], [2.0, 1.0]], [[2.0, math.log(2.0)], [0.5, 1.0]])


def _failing_09(exercises: list[str]) -> SubmissionResult:
    test = _failed("09_autodiff", "Value", evidence=(_GRAPH,))
    return SubmissionResult("local", (test,) if "09_autodiff" in exercises else (), 0.0, "t", 0,
                            "none")


@pytest.mark.anyio
async def test_the_plot_pane_draws_gradients_as_points_beside_the_diagonal(
        make_app: Any, fake: Any, settle: Any) -> None:
    from tui.widgets.plot import Chart

    app = make_app(fake(answer=_failing_09))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot, until=lambda: app.tutor["09_autodiff"].checks_done > 0)
        await pilot.press(*["j"] * 8)
        await pilot.pause()
        assert app.screen.selected_id == "09_autodiff"
        chart = app.screen.query_one("#chart-0", Chart)
        assert chart.display and chart.data is not None
        points = next(s for s in chart.data.series if s.role == "points")
        assert points.xs == (0.5, 1.0) and points.ys == (2.0, 1.0)  # v0: 2.0 where 1/2 is true
        assert "v0:" in chart.data.note
