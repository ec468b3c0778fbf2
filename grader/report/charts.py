"""The class report's charts as PNG files, drawn with matplotlib's Agg backend (no display)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from grader.i18n import N_, _, language
from grader.model import SubmissionResult, Verdict
from grader.report.stats import ClassStats

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["CHARTS", "VERDICT_COLOURS", "draw_charts"]

# The same colours as the pages' verdict badges, so a chart and a table read alike.
VERDICT_COLOURS = {
    Verdict.PASSED: "#1a7f37",
    Verdict.FAILED: "#cf222e",
    Verdict.ERROR: "#8250df",
    Verdict.UNDECIDED: "#d4a72c",
    Verdict.NOT_ATTEMPTED: "#afb8c1",
}

# file stem -> (the chart's alt text, whether it spans the page's width), in page order.
# The two small histograms share a row; the per-test charts need room for test names.
CHARTS = {
    "scores": (N_("Score distribution"), False),
    "times": (N_("Grading time per submission"), False),
    "pass_rate": (N_("Verdicts per test"), True),
    "diagnoses": (N_("Most common recognised mistakes"), True),
}
# Fonts that hold CJK glyphs on Linux, macOS and Windows: the charts' words are translated
# only where one is installed (matplotlib's own DejaVu Sans would draw empty boxes).
_CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
              "WenQuanYi Micro Hei", "PingFang SC", "Heiti SC", "Hiragino Sans GB",
              "Microsoft YaHei", "SimHei", "Arial Unicode MS")

# Inches at 100 dpi: a half-width chart is drawn at about the pixels it is shown at.
_WIDTHS = {False: 5.6, True: 11.2}
_MISTAKES = 12  # bars in the mistakes chart; the page's table lists more per test


def draw_charts(folder: Path, stats: ClassStats, results: list[SubmissionResult]) -> None:
    """Write one PNG per entry of CHARTS into `folder`."""
    import matplotlib

    matplotlib.use("Agg")
    say = _chart_words()
    draw: dict[str, tuple[float, Callable[[Axes], None]]] = {
        "scores": (3.6, lambda axes: _scores(axes, stats, results, say)),
        "pass_rate": (0.3 * len(stats.tests) + 1.6, lambda axes: _verdicts(axes, stats, say)),
        "diagnoses": (0.4 * min(max(_mistake_count(stats), 2), _MISTAKES) + 1.4,
                      lambda axes: _diagnoses(axes, stats, say)),
        "times": (3.6, lambda axes: _times(axes, results, say)),
    }
    for stem, (_alt, wide) in CHARTS.items():
        height, drawing = draw[stem]
        _save(folder / f"{stem}.png", (_WIDTHS[wide], height), drawing)


def _chart_words() -> Callable[[str], str]:
    """How chart text is translated: `_` with a CJK font set where the language needs one
    and one is installed, else the English as it is (a legible chart beats boxes)."""
    if language() != "zh":
        return _
    import matplotlib
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    found = [name for name in _CJK_FONTS if name in installed]
    if not found:
        return lambda text: text
    matplotlib.rcParams["font.sans-serif"] = [*found, *matplotlib.rcParams["font.sans-serif"]]
    matplotlib.rcParams["font.family"] = "sans-serif"
    return _


def _save(path: Path, size: tuple[float, float], drawing: Callable[[Axes], None]) -> None:
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=size)
    try:
        drawing(axes)
        axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        figure.savefig(path, dpi=100, bbox_inches="tight", pad_inches=0.15)
    finally:
        plt.close(figure)


def _scores(axes: Axes, stats: ClassStats, results: list[SubmissionResult],
            say: Callable[[str], str]) -> None:
    top = stats.max_score or 1.0
    # One bar per whole point: scores are sums of per-test points, mostly whole numbers.
    bins = [x - 0.5 for x in range(int(top) + 2)] if top <= 40 else 20
    axes.hist([r.score for r in results], bins=bins, color="#0969da", edgecolor="white")
    axes.set_title(say(CHARTS["scores"][0]), loc="left", fontweight="bold")
    axes.set(xlabel=say(N_("score (out of {top:g})")).format(top=top),
             ylabel=say(N_("submissions")))
    axes.set_xlim(-0.5, top + 0.5)
    axes.yaxis.get_major_locator().set_params(integer=True)


def _verdicts(axes: Axes, stats: ClassStats, say: Callable[[str], str]) -> None:
    tests = stats.tests[::-1]  # barh draws bottom-up; the course order reads top-down
    left = [0.0] * len(tests)
    for verdict, colour in VERDICT_COLOURS.items():
        shares = [100 * stats.share(test, verdict) for test in tests]
        if not any(shares):
            continue
        axes.barh(tests, shares, left=left, color=colour,
                  label=say(verdict.value.replace("_", " ")), height=0.7)
        left = [a + b for a, b in zip(left, shares, strict=True)]
    # The legend sits between the title and the bars, where the eye starts reading.
    axes.set_title(say(N_("Verdicts per test (% of submissions)")), loc="left",
                   fontweight="bold", pad=26)
    axes.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=5, frameon=False,
                fontsize=9, borderaxespad=0.2)
    axes.set_xlim(0, 100)
    axes.set_xlabel(say(N_("% of submissions")))


def _mistake_count(stats: ClassStats) -> int:
    return sum(len(found) for found in stats.mistakes.values())


def _diagnoses(axes: Axes, stats: ClassStats, say: Callable[[str], str]) -> None:
    found = sorted((m for ms in stats.mistakes.values() for m in ms),
                   key=lambda m: m.count)[-_MISTAKES:]
    axes.set_title(say(CHARTS["diagnoses"][0]), loc="left", fontweight="bold")
    if not found:
        axes.text(0.5, 0.5, say(N_("no recognised mistakes")), ha="center", va="center",
                  transform=axes.transAxes, color="#656d76")
        axes.set(xticks=[], yticks=[])
        return
    labels = [f"{m.test}\n{m.name}" for m in found]
    axes.barh(range(len(found)), [m.count for m in found], color="#cf222e", height=0.7)
    axes.set_yticks(range(len(found)), labels, fontsize=9)
    axes.set_xlabel(say(N_("submissions")))
    axes.xaxis.get_major_locator().set_params(integer=True)


def _times(axes: Axes, results: list[SubmissionResult], say: Callable[[str], str]) -> None:
    axes.hist([r.execution_time for r in results], bins=20, color="#8250df", edgecolor="white")
    axes.set_title(say(CHARTS["times"][0]), loc="left", fontweight="bold")
    axes.set(xlabel=say(N_("seconds")), ylabel=say(N_("submissions")))
    axes.yaxis.get_major_locator().set_params(integer=True)
