"""The selected exercise in full: task, each test's verdict and feedback, hints and plots."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from grader.i18n import N_, _
from grader.model import Verdict
from grader.render.feedback import feedback_lines, headline, verdict_style
from tui.plots import PlotData
from tui.state import ExerciseState, TestState
from tui.widgets.plot import ChartPanel

__all__ = ["DetailPane", "render_header", "render_tests"]

# feedback_lines ends with a pointer to the CLI's `descent hint`; here the hint key replaces it.
_CLI_ONLY_LABEL = N_("hint")
# A verdict remembered from an earlier session, in words (the id stays the English key).
_VERDICT_WORDS = {Verdict.PASSED: N_("passed"), Verdict.FAILED: N_("failed"),
                  Verdict.ERROR: N_("error"), Verdict.UNDECIDED: N_("undecided"),
                  Verdict.NOT_ATTEMPTED: N_("not attempted")}
_KIND_WORDS = {"symbolic": N_("symbolic"), "numeric": N_("numeric")}


def _points(score: float, possible: float | None) -> str:
    return f"{score:g}/{'–' if possible is None else f'{possible:g}'}"


def render_header(entry: ExerciseState) -> Text:
    info = entry.info
    points = _("{points} points").format(points=_points(entry.score, entry.max_score))
    status = entry.status
    text = Text.assemble((info.id, "bold"), " — ", (info.title, "bold"), "\n",
                         (f"{status.symbol} {status.label}", status.style), "  ·  ", points)
    if info.kind:
        text.append(f"  ·  {_(_KIND_WORDS.get(info.kind, info.kind))}", style="dim")
    text.append(f"  ·  exercises/{info.filename}", style="dim")
    if info.summary:
        text.append(f"\n\n{info.summary}")
    return text


def _verdict_line(test: TestState) -> Text:
    line = Text(test.info.function, style="bold")
    points = _points(test.score, test.max_score)
    if test.result is not None:
        verdict = test.result.verdict
        line.append(f"  {verdict.symbol} {headline(test.result)}", style=verdict_style(verdict))
    elif test.verdict is not None:
        verdict = test.verdict
        words = _("{verdict} (last session)").format(verdict=_(_VERDICT_WORDS[verdict]))
        line.append(f"  {verdict.symbol} {words}", style=verdict_style(verdict))
    else:
        line.append("  " + _("not checked yet"), style="dim")
    line.append(f"  {points}", style="dim")
    return line


def _labelled(label: str, text: str, label_style: str, text_style: str = "") -> Text:
    return Text.assemble((_("{label}: ").format(label=label), label_style), (text, text_style))


def _test_block(test: TestState, selected: bool) -> Table:
    # A grid keeps wrapped lines under their text instead of back at the left edge.
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=2, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text("▶" if selected else "", style="bold cyan"), _verdict_line(test))
    if test.info.task:
        grid.add_row("", Text(test.info.task, style="italic"))
    if test.result is not None:
        quiet = "dim" if test.result.passed else ""
        for label, text in feedback_lines(test.result):
            # The label may come translated already; _() leaves a translation unchanged.
            if label not in (_CLI_ONLY_LABEL, _(_CLI_ONLY_LABEL)):
                grid.add_row("", _labelled(_(label), text, quiet or "bold", quiet))
    tiers = len(test.info.hints)
    for number, hint in enumerate(test.open_hints, start=1):
        grid.add_row("", _labelled(_("hint {number} of {tiers}").format(number=number,
                                                                       tiers=tiers),
                                   hint, "bold yellow"))
    if selected and tiers and test.verdict is not Verdict.PASSED:
        more = test.hints_seen < tiers
        grid.add_row("", Text(_("press h for hint {number} of {tiers}").format(
            number=test.hints_seen + 1, tiers=tiers) if more
            else _("no more hints for this test"), style="dim"))
    return grid


def render_tests(entry: ExerciseState) -> Group:
    parts: list[RenderableType] = []
    if entry.error:
        parts.append(Text.assemble((_("grader problem: "), "bold magenta"), entry.error))
        parts.append(Text(""))
    for index, test in enumerate(entry.tests):
        parts.extend((_test_block(test, index == entry.selected), Text("")))
    return Group(*parts)


class DetailPane(VerticalScroll):
    """Everything about one exercise; rebuilt whenever its state changes."""

    def compose(self) -> ComposeResult:
        yield Static("", id="detail-header")
        yield Static("", id="detail-tests")
        yield ChartPanel(id="chart-panel")

    def show(self, entry: ExerciseState, plots: list[PlotData]) -> None:
        self.query_one("#detail-header", Static).update(render_header(entry))
        self.query_one("#detail-tests", Static).update(render_tests(entry))
        self.query_one(ChartPanel).show(plots)

