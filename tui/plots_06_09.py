"""The tutor's charts for 06 (each loss on one or two samples) and 09 (each node's gradient)."""

# 06's evidence holds the student's losses on grids its catalog entry adds: two samples both
# off by e (mae, mse) and one sample labelled 1 or 0 over p (the cross-entropy). 09's holds,
# per small graph, the student's [data, grads] with autograd's beside them as `expected`.
# Plain arithmetic only, so the tutor process never imports torch.

from __future__ import annotations

import math
from collections.abc import Callable

from grader.i18n import _, ngettext
from grader.model import CheckResult, Sample, Verdict
from tui.chart_data import PlotData, Series, finite_points, function_note, numbers, scalars

__all__ = ["autodiff_plots", "loss_plots"]

_E_WINDOW = 2.0  # the errors e drawn: the grid of ex06 and any graded run inside it
_P_WINDOW = (0.02, 0.98)  # the probabilities p drawn (ex06 keeps p inside this too)
_RTOL, _ATOL = 1e-6, 1e-8  # a node is off when 09's check would call it wrong


# --- 06: the three losses on small inputs ----------------------------------------------------


def _off_by(sample: Sample) -> tuple[float, float] | None:
    """(e, loss) for two predictions that are each off by the same e."""
    pred, target = numbers(sample.inputs.get("pred")), numbers(sample.inputs.get("target"))
    loss = numbers(sample.actual)
    if pred is None or target is None or loss is None or (len(pred), len(target),
                                                           len(loss)) != (2, 2, 1):
        return None
    e = pred[0] - target[0]
    if abs(pred[1] - target[1] - e) > 1e-12 or not abs(e) <= _E_WINDOW:
        return None
    return e, loss[0]


def _one_sample(sample: Sample, label: float) -> tuple[float, float] | None:
    """(p, loss) for one prediction p of a sample labelled `label`."""
    p, y, loss = numbers(sample.inputs.get("p")), numbers(sample.inputs.get("y")), numbers(
        sample.actual)
    if p is None or y is None or loss is None or (len(p), len(y), len(loss)) != (1, 1, 1):
        return None
    low, high = _P_WINDOW
    return (p[0], loss[0]) if y[0] == label and low <= p[0] <= high else None


def _compared(result: CheckResult | None, truths: list[tuple[str, Callable[[float], float]]],
              grid: list[float], student: Callable[[Sample, int], tuple[float, float] | None],
              ) -> tuple[list[Series], int, bool]:
    """Each named truth on `grid` and, after it, the student's points for it from the
    evidence; with how many of their values were not finite and whether any is drawn."""
    series, dropped, drawn = [], 0, False
    for index, (name, curve) in enumerate(truths):
        series.append(Series(_("{name}: truth").format(name=name), tuple(grid),
                             tuple(curve(x) for x in grid)))
        samples = result.evidence if result is not None else ()
        xs, ys, missing = finite_points([p for s in samples
                                         if (p := student(s, index)) is not None])
        dropped += missing
        if xs:
            drawn = True
            series.append(Series(_("{name}: yours").format(name=name), xs, ys, role="student"))
    return series, dropped, drawn


def _error_chart(tests: dict[str, CheckResult]) -> PlotData:
    grid = [k / 8 for k in range(-16, 17)]
    series: list[Series] = []
    notes = [_("Two samples, each prediction off by e: MAE = |e|, MSE = e²/2.")]
    for function, name, curve in (("mae", "MAE", abs), ("mse", "MSE", lambda e: e * e / 2)):
        result = tests.get(function)
        curves, dropped, drawn = _compared(result, [(name, curve)], grid,
                                           lambda s, _i: _off_by(s))
        series += curves
        notes.append(function_note(function, result, drawn=drawn, not_finite=dropped))
    return PlotData(_("MAE and MSE when every prediction is off by e"), tuple(series),
                    xlabel=_("e = pred − target"), ylabel=_("loss"), note=" ".join(notes))


def _cross_entropy_chart(tests: dict[str, CheckResult]) -> PlotData:
    result = tests.get("binary_cross_entropy")
    low, high = _P_WINDOW
    grid = [low + k * (high - low) / 48 for k in range(49)]
    labels = (1.0, 0.0)
    series, dropped, drawn = _compared(
        result, [("y = 1", lambda p: -math.log(p)), ("y = 0", lambda p: -math.log(1 - p))],
        grid, lambda s, index: _one_sample(s, labels[index]))
    note = " ".join([_("One sample with label y and predicted probability p: the loss is "
                       "−log p for y = 1 and −log(1 − p) for y = 0."),
                     function_note("binary_cross_entropy", result, drawn=drawn,
                                   not_finite=dropped)])
    return PlotData(_("cross-entropy of one sample"), tuple(series), xlabel="p",
                    ylabel=_("loss"), note=note)


def loss_plots(tests: dict[str, CheckResult]) -> list[PlotData]:
    """06: MAE and MSE as every prediction is off by e; the cross-entropy of one sample over p
    for y = 1 and y = 0. The truth always, the student's values where they came back."""
    return [_error_chart(tests), _cross_entropy_chart(tests)]


# --- 09: every node's gradient, the student's against autograd's ---------------------------


def _graph(sample: Sample) -> list[list[float]] | None:
    """Autograd's data and grads, then the student's, when all four are whole and alike."""
    truth, theirs = sample.expected, sample.actual
    if not (isinstance(truth, list) and isinstance(theirs, list)
            and len(truth) == len(theirs) == 2):
        return None
    parts = [scalars(part) for part in (*truth, *theirs)]
    if any(part is None for part in parts) or len({len(part or ()) for part in parts}) != 1:
        return None
    return [part for part in parts if part is not None]


def _off(theirs: list[float], truth: list[float]) -> list[int]:
    """The nodes where the student's number is not the truth (NaN and inf included)."""
    return [i for i, (a, b) in enumerate(zip(theirs, truth, strict=True))
            if not abs(a - b) <= _ATOL + _RTOL * abs(b)]


def autodiff_plots(tests: dict[str, CheckResult]) -> list[PlotData]:
    """09: on the first graph the student's gradients get wrong (else the last one kept), each
    node's ∂root/∂node, theirs against autograd's: on the diagonal where they agree."""
    result = tests.get("Value")
    graphs = [(sample, parts) for sample in (result.evidence if result is not None else ())
              if (parts := _graph(sample)) is not None]
    if result is None or not graphs:
        return []
    wrong = [(sample, parts) for sample, parts in graphs if _off(parts[3], parts[1])]
    sample, (data, grads, their_data, their_grads) = wrong[0] if wrong else graphs[-1]
    xs, ys, _dropped = finite_points(list(zip(grads, their_grads, strict=True)))
    ends = (min(xs + ys), max(xs + ys)) if xs else (min(grads), max(grads))
    graph = _(sample.label)
    off = _off(their_grads, grads)
    if result.verdict is Verdict.PASSED:
        note = _("Value passed: on {graph}, your gradient at every node (markers) lies on "
                 "the diagonal, equal to autograd's.").format(graph=graph)
    elif not off:
        note = _("On {graph}, your gradient at every node (markers) lies on the diagonal, "
                 "equal to autograd's: what failed is on a graph too large to draw.").format(
            graph=graph)
    else:
        note = ngettext(
            "On {graph}: {count} of {total} nodes is off the diagonal (your gradient is not "
            "autograd's); counting back from the root the first is v{node}: look at the "
            "operations that use it.",
            "On {graph}: {count} of {total} nodes are off the diagonal (your gradient is not "
            "autograd's); counting back from the root the first is v{node}: look at the "
            "operations that use it.", len(off)).format(
            graph=graph, count=len(off), total=len(grads), node=max(off))
    if wrong_data := _off(their_data, data):
        note += " " + ngettext(
            "Your .data is already wrong at {count} node: fix the forward values first.",
            "Your .data is already wrong at {count} nodes: fix the forward values first.",
            len(wrong_data)).format(count=len(wrong_data))
    series = (Series(_("equal to autograd"), ends, ends),
              Series(_("yours, one point per node"), xs, ys, role="points"))
    return [PlotData(_("∂root/∂node: yours against autograd's"), series,
                     xlabel=_("autograd's gradient"), ylabel=_("your gradient"), note=note)]
