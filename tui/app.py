"""The `descent` tutor app: wires the course state and the grader client to the main screen."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from grader.course_stubs import swap_notice
from grader.i18n import N_, language
from grader.progress import ProgressStore
from tui.grading import GraderClient, ServiceClient
from tui.outline import CourseOutline, load_outline
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.state import Tutor
from tui.words import translate_bindings

__all__ = ["DescentApp", "run_tutor"]

_TERMINAL_POLL_SECONDS = 2.0


class DescentApp(App[int]):
    """The tutor; pass `client` (and `outline`) to run it against a fake grader in tests."""

    CSS_PATH = "descent.tcss"
    TITLE = "descent"
    ENABLE_COMMAND_PALETTE = False  # every action has its own key; the palette would confuse
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", N_("help")),
        Binding("q", "quit", N_("quit")),
    ]

    def __init__(self, course_dir: Path, *, client: GraderClient | None = None,
                 outline: CourseOutline | None = None, watch: bool = True,
                 check_on_start: bool = True) -> None:
        super().__init__()
        translate_bindings(self)
        self.course_dir = course_dir
        self.client: GraderClient = client or ServiceClient()
        self.tutor = Tutor(outline or load_outline(), ProgressStore(course_dir))
        self._notices = _stub_notices(course_dir, self.tutor)
        self._watch = watch
        self._check_on_start = check_on_start

    def get_default_screen(self) -> Screen[None]:
        return MainScreen(self.tutor, self.client, self.course_dir / "exercises",
                          watch=self._watch, check_on_start=self._check_on_start,
                          notices=self._notices)

    def on_mount(self) -> None:
        # A terminal can go without a hang-up signal reaching the tutor (started by `make
        # tutor`, make alone gets it as the session's leader): Textual then reads end-of-file
        # in a busy loop for ever. The tutor leaves instead, and takes its grader with it.
        if _terminal_attached():
            self.set_interval(_TERMINAL_POLL_SECONDS, self._leave_if_terminal_gone)

    async def _leave_if_terminal_gone(self) -> None:
        if not _terminal_attached():
            await self.action_quit()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        await self.client.close()  # the grading process must not outlive the tutor
        self.exit(0)


def _terminal_attached() -> bool:
    """Whether standard input is still a terminal (a hung-up one no longer is)."""
    stream = sys.__stdin__
    try:
        return stream is not None and os.isatty(stream.fileno())
    except (OSError, ValueError):
        return False


def _stub_notices(course_dir: Path, tutor: Tutor) -> list[str]:
    """Give untouched stubs in another language the ones in the language in use, and say so."""
    notice = swap_notice(course_dir, [entry.info.id for entry in tutor.exercises], language())
    return [notice] if notice else []


def run_tutor(course_dir: Path) -> int:
    """Open the tutor on `course_dir` (the folder holding exercises/); returns the exit code."""
    app = DescentApp(course_dir)
    code = app.run()
    return code if isinstance(code, int) else (app.return_code or 0)
