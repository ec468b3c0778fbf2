"""What to plot for an exercise, as plain lists: the truth against what the student returned."""

# The student's curve comes from the evidence in the results (a counterexample carries the
# inputs, the expected and the actual values); a passing test means the student's curve is the
# truth. Plain arithmetic only, so the tutor process never imports torch.

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from grader.model import CheckResult, Verdict

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
        curves = [Series("truth", tuple(xs), tuple(truth))]
        if student is not None:
            finite = _finite_prefix(student_xs if student_xs is not None else xs, student)
            curves.append(Series("yours", *finite, role="student"))
        return cls(title, tuple(curves), xlabel, ylabel, note)


def _finite_prefix(xs: Sequence[float], ys: Sequence[float]) -> tuple[tuple[float, ...],
                                                                        tuple[float, ...]]:
    # A diverging run ends in inf/NaN, which no plot can place: draw it up to that point.
    pairs = list(zip(xs, ys, strict=False))
    cut = next((i for i, (_, y) in enumerate(pairs) if not math.isfinite(y)), len(pairs))
    return tuple(x for x, _ in pairs[:cut]), tuple(y for _, y in pairs[:cut])


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
    for _ in range(int(SEED000["steps"])):
        w = w - SEED000["lr"] * _seed000_grad(w)
        path.append(w)
    return path


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


def _trajectory_plots(tests: dict[str, CheckResult]) -> list[PlotData]:
    truth = seed000_trajectory()
    steps = [float(k) for k in range(len(truth))]
    result = tests.get("descend")
    student: list[float] | None = None
    note = "seed 000: f(w) = w²/2 + 2w from w0 = 3, lr = 0.2; the minimum is at w = −2."
    if result is not None and result.verdict is Verdict.PASSED:
        student, note = truth, "descend passed: your trajectory is the true one. " + note
    elif result is not None and result.counterexample is not None:
        example = result.counterexample
        inputs = {k: v for k, v in example.inputs.items() if k != "grad_fn"}
        actual, expected = _numbers(example.actual), _numbers(example.expected)
        if inputs == SEED000 and actual is not None:
            student = actual
            note = "Your descend on seed 000 (markers) against the true run (line)."
        elif actual is not None and expected is not None and len(expected) > 1:
            shown = ", ".join(f"{k} = {v}" for k, v in inputs.items())
            xs = [float(k) for k in range(len(expected))]
            return [PlotData.compare(
                "trajectory w_k", xs, expected, actual,
                student_xs=[float(k) for k in range(len(actual))], xlabel="step k",
                note=f"Your descend where it first went wrong ({shown}) against the truth.")]
    elif result is not None and result.verdict is not Verdict.NOT_ATTEMPTED:
        note = f"descend: {result.verdict.value}; no trajectory came back to plot. " + note
    losses = None if student is None else [_seed000_loss(w) if math.isfinite(w) else w
                                           for w in student]
    student_xs = [float(k) for k in range(len(student))] if student is not None else None
    return [
        PlotData.compare("trajectory w_k", steps, truth, student, student_xs=student_xs,
                         xlabel="step k", note=note),
        PlotData.compare("loss f(w_k)", steps, [_seed000_loss(w) for w in truth], losses,
                         student_xs=student_xs, xlabel="step k"),
    ]


def _sigma(h: float) -> float:
    return 1.0 / (1.0 + math.exp(-h)) if h >= 0 else math.exp(h) / (1.0 + math.exp(h))


def _sigma_prime(h: float) -> float:
    s = _sigma(h)
    return s * (1.0 - s)


def _sigmoid_plots(tests: dict[str, CheckResult]) -> list[PlotData]:
    grid = [h / 4 for h in range(-24, 25)]
    plots = []
    for function, title, curve in (("sigmoid", "σ(h)", _sigma),
                                   ("sigmoid_prime", "σ′(h)", _sigma_prime)):
        result = tests.get(function)
        truth = [curve(h) for h in grid]
        student_xs: list[float] | None = None
        student: list[float] | None = None
        note = f"{function}: not checked yet."
        if result is not None and result.verdict is Verdict.PASSED:
            note = f"{function} passed: yours matches the truth everywhere it was checked."
        elif result is not None and result.counterexample is not None:
            example = result.counterexample
            hs, actual = _numbers(example.inputs.get("h")), _numbers(example.actual)
            if hs is not None and actual is not None and len(hs) == len(actual):
                # A few points far outside the grid would squash the curve: keep the window.
                kept = [(h, y) for h, y in zip(hs, actual, strict=True) if -6.5 <= h <= 6.5]
                student_xs, student = [h for h, _ in kept], [y for _, y in kept]
                note = f"{function}: your values (markers) where it first went wrong."
            else:
                note = f"{function}: {result.verdict.value}; no values to plot."
        elif result is not None:
            note = f"{function}: {result.verdict.value}; no values to plot."
        plots.append(PlotData.compare(title, grid, truth, student, student_xs=student_xs,
                                      xlabel="h", note=note))
    return plots


_BUILDERS: dict[str, Callable[[dict[str, CheckResult]], list[PlotData]]] = {
    "03_update_step": _trajectory_plots,
    "04_sigmoid_delta": _sigmoid_plots,
}


def plots_for(exercise_id: str, results: Sequence[CheckResult]) -> list[PlotData]:
    """The charts for an exercise (none for most), from its latest results."""
    builder = _BUILDERS.get(exercise_id)
    return builder({r.function: r for r in results}) if builder else []
