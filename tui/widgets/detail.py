"""The selected exercise in full: task, each test's verdict and feedback, hints and plots."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from grader.model import Verdict
from grader.render.feedback import feedback_lines, headline
from grader.render.terminal import verdict_style
from tui.plots import PlotData
from tui.state import ExerciseState, TestState
from tui.widgets.plot import ChartPanel

__all__ = ["DetailPane", "render_header", "render_tests"]

# feedback_lines ends with a pointer to the CLI's `descent hint`; here the hint key replaces it.
_CLI_ONLY_LABELS = {"hint"}


def render_header(entry: ExerciseState) -> Text:
    info = entry.info
    possible = entry.max_score
    points = f"{entry.score:g}/{'–' if possible is None else f'{possible:g}'} points"
    status = entry.status
    text = Text.assemble((info.id, "bold"), " — ", (info.title, "bold"), "\n",
                         (f"{status.symbol} {status.value}", status.style), "  ·  ", points)
    if info.kind:
        text.append(f"  ·  {info.kind}", style="dim")
    text.append(f"  ·  exercises/{info.filename}", style="dim")
    if info.summary:
        text.append(f"\n\n{info.summary}")
    return text


def _verdict_line(test: TestState, selected: bool) -> Text:
    marker = "▶ " if selected else "  "
    line = Text.assemble((marker, "bold cyan"), (test.info.function, "bold"))
    possible = test.max_score
    points = f"{test.score:g}/{'–' if possible is None else f'{possible:g}'}"
    if test.result is not None:
        verdict = test.result.verdict
        line.append(f"  {verdict.symbol} {headline(test.result)}", style=verdict_style(verdict))
    elif test.verdict is not None:
        verdict = test.verdict
        line.append(f"  {verdict.symbol} {verdict.value.replace('_', ' ')} (last session)",
                    style=verdict_style(verdict))
    else:
        line.append("  not checked yet", style="dim")
    line.append(f"  {points}", style="dim")
    return line


def _test_block(test: TestState, selected: bool) -> Text:
    block = _verdict_line(test, selected)
    if test.info.task:
        block.append(f"\n    {test.info.task}", style="italic")
    if test.result is not None:
        passed = test.result.passed
        for label, text in feedback_lines(test.result):
            if label in _CLI_ONLY_LABELS:
                continue
            block.append(f"\n    {label}: ", style="dim" if passed else "bold")
            block.append(text, style="dim" if passed else "")
    tiers = len(test.info.hints)
    for number, hint in enumerate(test.open_hints, start=1):
        block.append(f"\n    hint {number} of {tiers}: ", style="bold yellow")
        block.append(hint)
    if selected and tiers and test.verdict is not Verdict.PASSED:
        left = tiers - test.hints_seen
        block.append("\n    " + (f"press h for hint {test.hints_seen + 1} of {tiers}" if left
                                 else "no more hints for this test"), style="dim")
    return block


def render_tests(entry: ExerciseState) -> Group:
    blocks: list[Text] = []
    if entry.error:
        blocks.append(Text.assemble(("grader problem: ", "bold magenta"), entry.error))
    blocks.extend(_test_block(test, index == entry.selected)
                  for index, test in enumerate(entry.tests))
    spaced: list[Text] = []
    for block in blocks:
        spaced.extend((block, Text("")))
    return Group(*spaced)


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

