"""Line charts of the truth against the student's values, drawn with textual-plotext."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

from tui.plots import PlotData

__all__ = ["Chart", "ChartPanel"]

# Per role, one colour for each curve of that role in a chart (two truths, two of theirs…).
_COLORS = {"truth": ("green", "cyan"), "student": ("orange", "magenta"), "data": ("blue",),
           "points": ("orange",)}
_MAX_MARKERS = 20  # more big markers than this hide the curves under them


class Chart(PlotextPlot):
    """One chart from plain data; redrawn whenever the data changes."""

    data: PlotData | None = None  # what it draws now, for whoever asks (tests, say)

    def show(self, data: PlotData) -> None:
        self.data = data
        plt = self.plt
        plt.clear_figure()
        plt.title(data.title)
        if data.xlabel:
            plt.xlabel(data.xlabel)
        if data.ylabel:
            plt.ylabel(data.ylabel)
        used: dict[str, int] = {}
        for series in data.series:
            if not series.xs:
                continue
            colors = _COLORS.get(series.role, _COLORS["data"])
            color = colors[used.get(series.role, 0) % len(colors)]
            used[series.role] = used.get(series.role, 0) + 1
            if series.role in ("data", "points"):  # points alone (seed 000's scatter, say)
                plt.scatter(list(series.xs), list(series.ys), label=series.label, color=color,
                            marker="•" if series.role == "data" else "●")
                continue
            student = series.role == "student"
            plt.plot(list(series.xs), list(series.ys), label=series.label, color=color,
                     marker="dot" if student else "braille")
            if student and len(series.xs) <= _MAX_MARKERS:  # each value, not only the line
                plt.scatter(list(series.xs), list(series.ys), color=color, marker="●")
        self.refresh()


class ChartPanel(Vertical):
    """Up to two charts side by side, with one note under each."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="charts"):
            for index in range(2):
                yield Chart(id=f"chart-{index}")
        yield Static("", id="chart-notes")

    def show(self, plots: list[PlotData]) -> None:
        self.display = bool(plots)
        for index in range(2):
            chart = self.query_one(f"#chart-{index}", Chart)
            chart.display = index < len(plots)
            if index < len(plots):
                chart.show(plots[index])
        notes = [p.note for p in plots if p.note]
        self.query_one("#chart-notes", Static).update("\n".join(notes))
