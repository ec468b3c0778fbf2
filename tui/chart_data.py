"""Chart data for the tutor: curves as plain lists, and readers of the evidence in results."""

# Plain arithmetic only, so the tutor process never imports torch.

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from grader.i18n import _, ngettext
from grader.model import CheckResult, Sample, Verdict

__all__ = ["PlotData", "Series", "close", "finite_points", "first_sample", "function_note",
           "numbers", "scalars", "steps"]


@dataclass(frozen=True)
class Series:
    """One curve: `truth` is drawn as a line, `student` as a line with markers, `data` as
    points alone and `points` as the student's points alone (a scatter, no line)."""

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
    """The points up to the first value that is not finite (a diverging run ends in inf/NaN,
    which no plot can place: draw it up to that point)."""
    pairs = list(zip(xs, ys, strict=False))
    cut = next((i for i, (_x, y) in enumerate(pairs) if not math.isfinite(y)), len(pairs))
    return tuple(x for x, _y in pairs[:cut]), tuple(y for _x, y in pairs[:cut])


def finite_points(points: Sequence[tuple[float, float]]) -> tuple[tuple[float, ...],
                                                                  tuple[float, ...], int]:
    """The finite points of a curve sampled independently (a function on a grid), sorted, and
    how many were left out for not being finite."""
    kept = sorted((x, y) for x, y in points if math.isfinite(x) and math.isfinite(y))
    return tuple(x for x, _y in kept), tuple(y for _x, y in kept), len(points) - len(kept)


def steps(count: int) -> list[float]:
    """0, 1, …, count − 1 as floats: the x axis of a run."""
    return [float(k) for k in range(count)]


def numbers(value: Any) -> list[float] | None:
    """A flat list of floats from plain result data, or None when it is not numeric."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return [float(value)]
    if isinstance(value, list) and value:
        flat: list[float] = []
        for item in value:
            inner = numbers(item)
            if inner is None:
                return None
            flat.extend(inner)
        return flat
    if isinstance(value, str) and value.lower() in ("nan", "inf", "-inf", "infinity", "-infinity"):
        return [float(value)]
    return None


def scalars(value: Any) -> list[float] | None:
    """A list of plain numbers (a 1-D trajectory), or None for anything else."""
    if not isinstance(value, list) or any(isinstance(v, list) for v in value):
        return None
    return numbers(value)


def close(ours: Sequence[float], truth: Sequence[float]) -> bool:
    """Equal to the truth as the graders judge it (relative 1e-7), entry by entry."""
    return len(ours) == len(truth) and all(
        abs(a - b) <= 1e-9 + 1e-7 * abs(b) for a, b in zip(ours, truth, strict=True))


def first_sample(result: CheckResult | None, wanted: Callable[[Sample], bool]) -> Sample | None:
    """The first sample of a result's evidence that `wanted` accepts."""
    if result is None:
        return None
    return next((sample for sample in result.evidence if wanted(sample)), None)


def function_note(function: str, result: CheckResult | None, *, drawn: bool,
                  from_evidence: bool = True, not_finite: int = 0) -> str:
    """The line under a chart of a function's values: not checked, passed, or how the
    student's values (markers) compare with the truth (line)."""
    if result is None or result.verdict is Verdict.NOT_ATTEMPTED:
        return _("{function}: not checked yet.").format(function=function)
    dropped = ngettext("{function}: {count} of your values is not finite, so it is not drawn.",
                       "{function}: {count} of your values are not finite, so they are not "
                       "drawn.", not_finite).format(function=function, count=not_finite)
    if result.verdict is Verdict.PASSED:
        if drawn:
            return _("{function} passed: your values (markers) lie on the truth (line).").format(
                function=function)
        return _("{function} passed: yours matches the truth everywhere it was checked.").format(
            function=function)
    if not drawn:
        return dropped if not_finite else _("{function}: no values came back to plot.").format(
            function=function)
    shown = (_("{function}: your values (markers) against the truth (line).") if from_evidence
             else _("{function}: your values (markers) where it first went wrong.")).format(
        function=function)
    return f"{shown} {dropped}" if not_finite else shown
