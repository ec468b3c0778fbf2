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

from grader.i18n import N_, _
from tui.state import Status
from tui.words import translate_bindings

__all__ = ["HelpScreen"]

_KEYS = [
    ("j / ↓   k / ↑", N_("next / previous exercise")),
    ("→ / ]   ← / [", N_("next / previous test of the exercise (▶ marks it)")),
    ("h", N_("reveal the next hint tier for the marked test; tiers seen stay visible")),
    ("r", N_("re-check the exercise now (if your file system does not report saves)")),
    ("e", N_("open the exercise file in $VISUAL or $EDITOR")),
    ("?", N_("this help")),
    ("q", N_("quit; progress and hints are kept in .descent/ in the course folder")),
]

_STATUSES = {
    Status.NOT_STARTED: N_("nothing to grade yet: the functions still raise "
                           "NotImplementedError"),
    Status.FAILING: N_("a test fails or crashes: read its feedback on the right"),
    Status.UNDECIDED: N_("the grader could not decide in time: neither pass nor fail"),
    Status.CHECKING: N_("a check is running"),
    Status.PASSING: N_("every test passes"),
}


def help_text() -> Group:
    keys = Table.grid(padding=(0, 2))
    for key, does in _KEYS:
        keys.add_row(Text(key, style="bold"), _(does))
    statuses = Table.grid(padding=(0, 2))
    for status, means in _STATUSES.items():
        statuses.add_row(Text(f"{status.symbol} {status.label}", style=status.style), _(means))
    return Group(
        Text(_("descent — help"), style="bold"), Text(""),
        Text(_("Edit an exercise in your editor and save it: the tutor checks it again at "
               "once.")),
        Text(""), Text(_("Keys"), style="bold underline"), keys,
        Text(""), Text(_("Status of an exercise"), style="bold underline"), statuses,
        Text(""), Text(_("escape, q or ? closes this help"), style="dim"),
    )


class HelpScreen(ModalScreen[None]):
    """Keys and statuses, over the main screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("close")),
        Binding("q", "close", N_("close"), show=False),
        Binding("question_mark", "close", N_("close"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(help_text())

    def action_close(self) -> None:
        self.dismiss(None)
