"""The course's progress: a bar of points earned and a line of counts and grader state."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar

from grader.i18n import _, ngettext
from tui.state import Tutor

__all__ = ["CourseProgress"]


class CourseProgress(Horizontal):
    """Points earned of points possible, exercises passing, and what the grader is doing."""

    def compose(self) -> ComposeResult:
        yield Label("descent", id="brand")
        yield ProgressBar(total=1, show_eta=False, id="bar")
        yield Label("", id="counts")
        yield Label("", id="grader")

    def show(self, tutor: Tutor, grader_state: str) -> None:
        possible = tutor.possible
        bar = self.query_one("#bar", ProgressBar)
        # An unknown total would animate an indeterminate bar; show the known part instead.
        bar.update(total=possible or 1, progress=tutor.earned if possible else 0)
        total = "–" if possible is None else f"{possible:g}"
        count = len(tutor.exercises)
        passing = ngettext("{passing} of {count} exercise passing",
                           "{passing} of {count} exercises passing", count)
        self.query_one("#counts", Label).update(
            _("{earned}/{total} points").format(earned=f"{tutor.earned:g}", total=total)
            + " · " + passing.format(passing=tutor.passing, count=count))
        self.query_one("#grader", Label).update(
            _("grader: {state}").format(state=_(grader_state)))
