"""What to plot for an exercise, as plain lists: the truth against what the student returned."""

# The student's curve comes from the evidence in the results: the samples a check records of
# the student's own answers, on a pass as on a failure, and failing that the counterexample.
# Plain arithmetic only, so the tutor process never imports torch.

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from grader.i18n import _
from grader.model import CheckResult, Sample, Verdict

__all__ = ["PlotData", "Series", "plots_for", "seed000_trajectory"]


@dataclass(frozen=True)
class Series:
    """One curve: `truth` is drawn as a line, `student` as a line with markers."""

    label: str
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    role: str = "truth"


@dataclass(frozen=True)
class PlotData:
    """One chart: its title, axis labels, curves and a line of explanation under it."""

    title: str
    series: tuple[Series, ...]
    xlabel: str = ""
    ylabel: str = ""
    note: str = ""

    @classmethod
    def compare(cls, title: str, xs: Sequence[float], truth: Sequence[float],
                student: Sequence[float] | None, *, student_xs: Sequence[float] | None = None,
                xlabel: str = "", ylabel: str = "", note: str = "") -> PlotData:
        """The truth as a line and, when known, the student's values over it."""
        curves = [Series(_("truth"), *_finite_prefix(xs, truth))]
        if student is not None:
            finite = _finite_prefix(student_xs if student_xs is not None else xs, student)
            curves.append(Series(_("yours"), *finite, role="student"))
        return cls(title, tuple(curves), xlabel, ylabel, note)


def _finite_prefix(xs: Sequence[float], ys: Sequence[float]) -> tuple[tuple[float, ...],
                                                                        tuple[float, ...]]:
    # A diverging run ends in inf/NaN, which no plot can place: draw it up to that point.
    pairs = list(zip(xs, ys, strict=False))
    cut = next((i for i, (_x, y) in enumerate(pairs) if not math.isfinite(y)), len(pairs))
    return tuple(x for x, _y in pairs[:cut]), tuple(y for _x, y in pairs[:cut])


def _steps(count: int) -> list[float]:
    return [float(k) for k in range(count)]


def _numbers(value: Any) -> list[float] | None:
    """A flat list of floats from plain result data, or None when it is not numeric."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return [float(value)]
    if isinstance(value, list) and value:
        flat: list[float] = []
        for item in value:
            inner = _numbers(item)
            if inner is None:
                return None
            flat.extend(inner)
        return flat
    if isinstance(value, str) and value.lower() in ("nan", "inf", "-inf", "infinity", "-infinity"):
        return [float(value)]
    return None


def _scalars(value: Any) -> list[float] | None:
    """A list of plain numbers (a 1-D trajectory), or None for anything else."""
    if not isinstance(value, list) or any(isinstance(v, list) for v in value):
        return None
    return _numbers(value)


def _close(ours: Sequence[float], truth: Sequence[float]) -> bool:
    """Equal to the truth as the graders judge it (relative 1e-7), entry by entry."""
    return len(ours) == len(truth) and all(
        abs(a - b) <= 1e-9 + 1e-7 * abs(b) for a, b in zip(ours, truth, strict=True))


def _evidence(result: CheckResult | None, wanted: Callable[[Sample], bool]) -> Sample | None:
    if result is None:
        return None
    return next((sample for sample in result.evidence if wanted(sample)), None)


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
    sample = _evidence(result, lambda s: _is_seed000(s.inputs))
    student = _scalars(sample.actual) if sample is not None else None
    example = result.counterexample if result is not None else None
    if example is not None and _is_seed000(example.inputs) and student is None:
        student = _numbers(example.actual)
    if (example is not None and not _is_seed000(example.inputs)
            and (student is None or _close(student, truth))):
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
    student_xs = _steps(len(student)) if student is not None else None
    steps = _steps(len(truth))
    return [
        PlotData.compare(_("trajectory w_k"), steps, truth, student, student_xs=student_xs,
                         xlabel=_("step k"), note=note),
        PlotData.compare(_("loss f(w_k)"), steps, [_seed000_loss(w) for w in truth], losses,
                         student_xs=student_xs, xlabel=_("step k")),
    ]


def _first_wrong_trajectory(inputs: dict[str, Any], expected: Any,
                            actual: Any) -> PlotData | None:
    truth, student = _scalars(expected), _numbers(actual)
    if truth is None or student is None or len(truth) < 2:
        return None
    shown = ", ".join(f"{k} = {v}" for k, v in inputs.items())
    return PlotData.compare(
        _("trajectory w_k"), _steps(len(truth)), truth, student,
        student_xs=_steps(len(student)), xlabel=_("step k"),
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
        hs, ys = _numbers(inputs), _numbers(answer)
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
        note = _sigmoid_note(function, result, from_evidence=from_evidence, drawn=bool(points))
        plots.append(PlotData.compare(
            title, grid, truth, [y for _h, y in points] if points else None,
            student_xs=[h for h, _y in points], xlabel="h", note=note))
    return plots


def _sigmoid_note(function: str, result: CheckResult | None, *, from_evidence: bool,
                  drawn: bool) -> str:
    if result is None or result.verdict is Verdict.NOT_ATTEMPTED:
        return _("{function}: not checked yet.").format(function=function)
    if result.verdict is Verdict.PASSED:
        if drawn:
            return _("{function} passed: your values (markers) lie on the truth (line).").format(
                function=function)
        return _("{function} passed: yours matches the truth everywhere it was checked.").format(
            function=function)
    if not drawn:
        return _("{function}: no values came back to plot.").format(function=function)
    if from_evidence:
        return _("{function}: your values (markers) against the truth (line).").format(
            function=function)
    return _("{function}: your values (markers) where it first went wrong.").format(
        function=function)


_BUILDERS: dict[str, Callable[[dict[str, CheckResult]], list[PlotData]]] = {
    "03_update_step": _trajectory_plots,
    "04_sigmoid_delta": _sigmoid_plots,
}


def plots_for(exercise_id: str, results: Sequence[CheckResult]) -> list[PlotData]:
    """The charts for an exercise (none for most), from its latest results."""
    builder = _BUILDERS.get(exercise_id)
    return builder({r.function: r for r in results}) if builder else []
