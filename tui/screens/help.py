"""The help overlay: what each key does and what the statuses mean."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.state import Status

__all__ = ["HelpScreen"]

_KEYS = [
    ("j / ↓   k / ↑", "next / previous exercise"),
    ("→ / ]   ← / [", "next / previous test of the exercise (▶ marks it)"),
    ("h", "reveal the next hint tier for the marked test; tiers seen stay visible"),
    ("r", "re-check the exercise now (if your file system does not report saves)"),
    ("e", "open the exercise file in $VISUAL or $EDITOR"),
    ("?", "this help"),
    ("q", "quit; progress and hints are kept in .descent/ in the course folder"),
]

_STATUSES = {
    Status.NOT_STARTED: "nothing to grade yet: the functions still raise NotImplementedError",
    Status.FAILING: "a test fails or crashes: read its feedback on the right",
    Status.UNDECIDED: "the grader could not decide in time: neither pass nor fail",
    Status.CHECKING: "a check is running",
    Status.PASSING: "every test passes",
}


def help_text() -> Group:
    keys = Table.grid(padding=(0, 2))
    for key, does in _KEYS:
        keys.add_row(Text(key, style="bold"), does)
    statuses = Table.grid(padding=(0, 2))
    for status, means in _STATUSES.items():
        statuses.add_row(Text(f"{status.symbol} {status.value}", style=status.style), means)
    return Group(
        Text("descent — help", style="bold"), Text(""),
        Text("Edit an exercise in your editor and save it: the tutor checks it again at once."),
        Text(""), Text("Keys", style="bold underline"), keys,
        Text(""), Text("Status of an exercise", style="bold underline"), statuses,
        Text(""), Text("escape, q or ? closes this help", style="dim"),
    )


class HelpScreen(ModalScreen[None]):
    """Keys and statuses, over the main screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "close"),
        Binding("q", "close", "close", show=False),
        Binding("question_mark", "close", "close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(help_text())

    def action_close(self) -> None:
        self.dismiss(None)
