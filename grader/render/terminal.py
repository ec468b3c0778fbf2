"""The terminal report of `descent check`: a table per exercise and feedback under each miss."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from grader.i18n import _
from grader.model import CheckResult, SubmissionResult, Verdict
from grader.render.feedback import (
    feedback_lines,
    headline,
    verdict_style,
    verdict_word,
    with_colon,
)

if TYPE_CHECKING:
    from grader.course import Exercise

__all__ = ["print_report"]

def print_report(console: Console, result: SubmissionResult, exercises: list[Exercise]) -> None:
    groups = result.by_exercise()
    for entry in exercises:
        tests = groups.get(entry.id, [])
        if tests:
            console.print(_exercise_panel(entry, tests))
    counts = {verdict: 0 for verdict in Verdict}
    for test in result.tests:
        counts[test.verdict] += 1
    failed = len(result.tests) - counts[Verdict.PASSED]
    summary = Text(_("{passed} passed, {failed} failed").format(
        passed=counts[Verdict.PASSED], failed=failed), style="bold")
    details = [f"{n} {verdict_word(v)}" for v, n in counts.items()
               if n and v is not Verdict.PASSED]
    if details:
        summary.append(f"  ({', '.join(details)})", style="dim")
    summary.append("   " + _("score {score:g}/{max_score:g}").format(
        score=result.score, max_score=result.max_score), style="bold")
    console.print(summary)
    for note in result.notes:
        console.print(Text(note, style="yellow"))


def _exercise_panel(entry: Exercise, tests: list[CheckResult]) -> Panel:
    table = Table.grid(padding=(0, 1))
    table.add_column(width=2)
    table.add_column(ratio=1)
    for test in tests:
        style = verdict_style(test.verdict)
        title = Text.assemble(
            (f"{test.function}", "bold"),
            (f"  {headline(test)}", style),
            (f"  {test.score:g}/{test.max_score:g}", "dim"),
        )
        table.add_row(Text(test.verdict.symbol, style=style), title)
        if not test.passed:
            for label, text in feedback_lines(test):
                table.add_row("", Text.assemble((f"{with_colon(label)} ", "bold dim"), text))
    earned = sum(t.score for t in tests)
    possible = sum(t.max_score for t in tests)
    title = f"[bold]{entry.id}[/] — {entry.title}  [dim]{earned:g}/{possible:g}[/]"
    border = "green" if all(t.passed for t in tests) else "red"
    return Panel(Group(table), title=title, title_align="left", border_style=border)
