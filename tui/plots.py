"""What to plot for an exercise, as plain lists: the truth against what the student returned."""

# The student's curve comes from the evidence in the results: the samples a check records of
# the student's own answers, on a pass as on a failure, and failing that the counterexample.
# Plain arithmetic only, so the tutor process never imports torch.

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from grader.i18n import _
from grader.model import CheckResult, Sample, Verdict
from tui.chart_data import (
    PlotData,
    Series,
    close,
    first_sample,
    function_note,
    numbers,
    scalars,
    steps,
)
from tui.plots_06_09 import autodiff_plots, loss_plots

__all__ = ["PlotData", "Series", "plots_for", "seed000_trajectory"]


# --- 03: seed 000's trajectory -------------------------------------------------------------

# Seed 000, the worked run that exercise 03's text quotes: f(x) = x²/2 + 2x, so
# f'(x) = x + 2, from w0 = 3 with lr = 0.2 for 10 steps (the first case of `descend`).
SEED000 = {"w0": 3.0, "lr": 0.2, "steps": 10}


def _seed000_grad(w: float) -> float:
    return w + 2.0


def _seed000_loss(w: float) -> float:
    return w * w / 2.0 + 2.0 * w


def seed000_trajectory() -> list[float]:
    """The true iterates w0 … w10 of seed 000."""
    w, path = SEED000["w0"], [SEED000["w0"]]
    for _step in range(int(SEED000["steps"])):
        w = w - SEED000["lr"] * _seed000_grad(w)
        path.append(w)
    return path


def _is_seed000(inputs: dict[str, Any]) -> bool:
    return {k: v for k, v in inputs.items() if k != "grad_fn"} == SEED000


def _trajectory_plots(tests: dict[str, CheckResult]) -> list[PlotData]:
    truth = seed000_trajectory()
    result = tests.get("descend")
    about = _("seed 000: f(w) = w²/2 + 2w from w0 = 3, lr = 0.2; the minimum is at w = −2.")
    sample = first_sample(result, lambda s: _is_seed000(s.inputs))
    student = scalars(sample.actual) if sample is not None else None
    example = result.counterexample if result is not None else None
    if example is not None and _is_seed000(example.inputs) and student is None:
        student = numbers(example.actual)
    if (example is not None and not _is_seed000(example.inputs)
            and (student is None or close(student, truth))):
        # Seed 000 came out right (or never came back): draw the case that went wrong.
        elsewhere = _first_wrong_trajectory(example.inputs, example.expected, example.actual)
        if elsewhere is not None:
            return [elsewhere]
    if result is None or result.verdict is Verdict.NOT_ATTEMPTED:
        note = about
    elif result.verdict is Verdict.PASSED and student is None:
        # A result kept from before evidence was recorded: a pass matched seed 000's run.
        student = truth
        note = _("descend passed: your trajectory is the true one. {about}").format(about=about)
    elif result.verdict is Verdict.PASSED:
        note = _("descend passed: your run on seed 000 (markers) follows the true one (line). "
                 "{about}").format(about=about)
    elif student is not None:
        note = _("Your descend on seed 000 (markers) against the true run (line).")
    else:
        note = _("descend: no trajectory came back to plot. {about}").format(about=about)
    losses = None if student is None else [_seed000_loss(w) if math.isfinite(w) else w
                                           for w in student]
    student_xs = steps(len(student)) if student is not None else None
    ks = steps(len(truth))
    return [
        PlotData.compare(_("trajectory w_k"), ks, truth, student, student_xs=student_xs,
                         xlabel=_("step k"), note=note),
        PlotData.compare(_("loss f(w_k)"), ks, [_seed000_loss(w) for w in truth], losses,
                         student_xs=student_xs, xlabel=_("step k")),
    ]


def _first_wrong_trajectory(inputs: dict[str, Any], expected: Any,
                            actual: Any) -> PlotData | None:
    truth, student = scalars(expected), numbers(actual)
    if truth is None or student is None or len(truth) < 2:
        return None
    shown = ", ".join(f"{k} = {v}" for k, v in inputs.items())
    return PlotData.compare(
        _("trajectory w_k"), steps(len(truth)), truth, student,
        student_xs=steps(len(student)), xlabel=_("step k"),
        note=_("Your descend where it first went wrong ({inputs}) against the truth.").format(
            inputs=shown))


# --- 04: σ and σ′ -----------------------------------------------------------------------

_WINDOW = 6.5  # points far outside the grid would squash the curve: keep the window


def _sigma(h: float) -> float:
    return 1.0 / (1.0 + math.exp(-h)) if h >= 0 else math.exp(h) / (1.0 + math.exp(h))


def _sigma_prime(h: float) -> float:
    s = _sigma(h)
    return s * (1.0 - s)


def _points(pairs: Sequence[tuple[Any, Any]]) -> list[tuple[float, float]]:
    """(h, value) points from (inputs h, answer) pairs, sorted, inside the window, finite."""
    points: list[tuple[float, float]] = []
    for inputs, answer in pairs:
        hs, ys = numbers(inputs), numbers(answer)
        if hs is not None and ys is not None and len(hs) == len(ys):
            points.extend((h, y) for h, y in zip(hs, ys, strict=True)
                          if abs(h) <= _WINDOW and math.isfinite(y))
    return sorted(points)


def _sigmoid_plots(tests: dict[str, CheckResult]) -> list[PlotData]:
    grid = [h / 4 for h in range(-24, 25)]
    plots = []
    for function, title, curve in (("sigmoid", "σ(h)", _sigma),
                                   ("sigmoid_prime", "σ′(h)", _sigma_prime)):
        result = tests.get(function)
        truth = [curve(h) for h in grid]
        points = _points([(s.inputs.get("h"), s.actual) for s in result.evidence]
                         if result is not None else [])
        from_evidence = bool(points)
        if not points and result is not None and result.counterexample is not None:
            example = result.counterexample
            points = _points([(example.inputs.get("h"), example.actual)])
        note = function_note(function, result, from_evidence=from_evidence, drawn=bool(points))
        plots.append(PlotData.compare(
            title, grid, truth, [y for _h, y in points] if points else None,
            student_xs=[h for h, _y in points], xlabel="h", note=note))
    return plots


# --- 07: the data, the fitted line and the loss per epoch (seed 000's closing plot) -------

Matrix = list[list[float]]


def _matrix(value: Any) -> Matrix | None:
    if not isinstance(value, list) or not value or not all(isinstance(r, list) for r in value):
        return None
    rows = [scalars(row) for row in value]
    if any(row is None or len(row) != len(rows[0] or ()) for row in rows):
        return None
    return [row for row in rows if row is not None]


def _predict(X: Matrix, w: Sequence[float]) -> list[float]:
    return [sum(a * b for a, b in zip(row, w, strict=True)) for row in X]


def _regression_loss(X: Matrix, y: Sequence[float], w: Sequence[float]) -> float:
    """E(w) = 1/(2m)·‖Xw − y‖², as exercise 07 defines it."""
    try:
        return sum((p - t) ** 2 for p, t in zip(_predict(X, w), y, strict=True)) / (2 * len(X))
    except OverflowError:
        return math.inf


def _gradient_descent(X: Matrix, y: Sequence[float], lr: float, epochs: int) -> list[list[float]]:
    """w_0 = 0 … w_epochs of full-batch gradient descent on E (what batch_size = m must give)."""
    w, path = [0.0] * len(X[0]), [[0.0] * len(X[0])]
    for _epoch in range(epochs):
        residual = [p - t for p, t in zip(_predict(X, w), y, strict=True)]
        w = [wj - lr * sum(r * row[j] for r, row in zip(residual, X, strict=True)) / len(X)
             for j, wj in enumerate(w)]
        path.append(w)
    return path


def _least_squares_line(X: Matrix, y: Sequence[float]) -> list[float] | None:
    """The least-squares [b, slope] for X = [1, x] (the 2×2 normal equations)."""
    n, sx = float(len(X)), sum(row[1] for row in X)
    sxx = sum(row[1] ** 2 for row in X)
    sy, sxy = sum(y), sum(row[1] * t for row, t in zip(X, y, strict=True))
    det = n * sxx - sx * sx
    return None if det == 0 else [(sxx * sy - sx * sxy) / det, (n * sxy - sx * sy) / det]


def _line_data(sample: Sample | None) -> tuple[Matrix, list[float]] | None:
    """X = [1, x] and y of a sample drawn on a line chart (one feature besides the ones)."""
    if sample is None:
        return None
    X, y = _matrix(sample.inputs.get("X")), numbers(sample.inputs.get("y"))
    if X is None or y is None or len(X) != len(y) or len(X[0]) != 2:
        return None
    return (X, y) if all(row[0] == 1.0 for row in X) else None


def _line_chart(X: Matrix, y: list[float], truth: list[float], theirs: list[float] | None,
                note: str) -> PlotData:
    order = sorted(range(len(X)), key=lambda i: X[i][1])
    xs = [X[i][1] for i in order]
    chart = PlotData.compare(_("data and fitted line"), xs, [_predict([X[i]], truth)[0]
                                                              for i in order],
                             None if theirs is None else [_predict([X[i]], theirs)[0]
                                                          for i in order],
                             xlabel="x", ylabel="y", note=note)
    return replace(chart, series=(Series(_("data"), tuple(xs), tuple(y[i] for i in order),
                                         role="data"), *chart.series))


def _regression_plots(tests: dict[str, CheckResult]) -> list[PlotData]:
    gd = tests.get("minibatch_gd")
    run = first_sample(gd, lambda s: isinstance(s.inputs.get("epochs"), list))
    data = _line_data(run)
    if run is not None and data is not None and isinstance(run.inputs.get("lr"), float):
        X, y = data
        theirs = [[0.0, 0.0]]  # every run starts from w = 0
        for w in map(numbers, run.actual if isinstance(run.actual, list) else []):
            if w is None or len(w) != 2:
                break  # not a w for this data: their curve ends here
            theirs.append(w)
        truth = _gradient_descent(X, y, run.inputs["lr"], len(run.inputs["epochs"]))
        losses = [_regression_loss(X, y, w) for w in theirs]
        passed = gd is not None and gd.verdict is Verdict.PASSED
        note = (_("minibatch_gd passed: your line and your loss per epoch (markers) on seed "
                  "000's line y = 3x − 2 with noise, full batch.") if passed else
                _("Your minibatch_gd on seed 000's line y = 3x − 2 with noise, full batch "
                  "(markers), against true gradient descent (line)."))
        # A w whose loss overflowed would squash the data to a dot: no line for it.
        end = theirs[-1] if len(theirs) > 1 and math.isfinite(losses[-1]) else None
        if len(theirs) > 1 and end is None:
            note += " " + _("Your w blew up: its loss is beyond any scale, so no line is drawn.")
        epochs = steps(len(truth))
        return [
            _line_chart(X, y, truth[-1], end, note),
            PlotData.compare(_("loss per epoch"), epochs, [_regression_loss(X, y, w)
                                                           for w in truth],
                             losses, student_xs=epochs[:len(theirs)], xlabel=_("epoch"),
                             ylabel="E(w)"),
        ]
    normal = tests.get("normal_equation")
    sample = first_sample(normal, lambda s: _line_data(s) is not None)
    data = _line_data(sample)
    if sample is None or data is None or (line := _least_squares_line(*data)) is None:
        return []
    w = scalars(numbers(sample.actual))
    return [_line_chart(*data, line, w if w is not None and len(w) == 2 else None,
                        _("normal_equation: your w as a line (markers) against least squares "
                          "(line), on {label}.").format(label=_(sample.label)))]


# --- 08: training with the student's gradients -----------------------------------------


def _training_plots(tests: dict[str, CheckResult]) -> list[PlotData]:
    result = tests.get("backprop")
    run = first_sample(result, lambda s: set(s.inputs) == {"lr", "steps"})
    theirs, truth = (numbers(run.actual), numbers(run.expected)) if run else (None, None)
    if result is None or run is None or theirs is None or truth is None:
        return []
    passed = result.verdict is Verdict.PASSED
    note = (_("backprop passed: {steps} steps of gradient descent (lr = {lr}) with your "
              "gradients (markers) follow the true ones (line).") if passed else
            _("{steps} steps of gradient descent (lr = {lr}) with your gradients (markers) "
              "against the true ones (line); the loss is measured by the truth.")).format(
        steps=run.inputs["steps"], lr=run.inputs["lr"])
    return [PlotData.compare(_("loss while training"), steps(len(truth)), truth, theirs,
                             student_xs=steps(len(theirs)), xlabel=_("step"),
                             ylabel=_("loss"), note=note)]


_BUILDERS: dict[str, Callable[[dict[str, CheckResult]], list[PlotData]]] = {
    "03_update_step": _trajectory_plots,
    "04_sigmoid_delta": _sigmoid_plots,
    "06_losses": loss_plots,
    "07_linear_regression": _regression_plots,
    "08_backprop": _training_plots,
    "09_autodiff": autodiff_plots,
}


def plots_for(exercise_id: str, results: Sequence[CheckResult]) -> list[PlotData]:
    """The charts for an exercise (none for most), from its latest results."""
    builder = _BUILDERS.get(exercise_id)
    return builder({r.function: r for r in results}) if builder else []
