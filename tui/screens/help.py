"""The help overlay: what each key does and what the statuses mean."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Markdown

__all__ = ["HelpScreen"]

HELP = """\
# descent — help

Edit an exercise file in your editor and save it: the tutor re-checks that exercise
at once (watch mode). Press **r** if your file system does not report saves.

| key | does |
|---|---|
| j / ↓, k / ↑ | next / previous exercise |
| → / ], ← / [ | next / previous test of the exercise (the ▶ marks it) |
| h | reveal the next hint tier for the marked test (tiers seen stay visible) |
| r | re-check the exercise now |
| e | open the exercise file in `$VISUAL` / `$EDITOR` |
| ? | this help |
| q | quit (your progress and hints are kept in `.descent/`) |

| status | means |
|---|---|
| · not started | nothing to check yet (the function still raises NotImplementedError) |
| ✘ failing | at least one test fails or crashes: read the feedback on the right |
| ? undecided | the grader could not decide in time: neither pass nor fail |
| … checking | a check is running |
| ✔ passing | every test passes |

Press **escape**, **q** or **?** to close.
"""


class HelpScreen(ModalScreen[None]):
    """Keys and statuses, over the main screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "close"),
        Binding("q", "close", "close", show=False),
        Binding("question_mark", "close", "close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Markdown(HELP)

    def action_close(self) -> None:
        self.dismiss(None)
