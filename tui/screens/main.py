"""The main screen: exercise list, detail pane and progress, kept live by grading and watching."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

import anyio
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, OptionList

from grader.i18n import N_, _
from tui.grading import GradeQueue, GraderClient, GradingError
from tui.opener import editor_command, open_with_system
from tui.plots import plots_for
from tui.state import Tutor
from tui.watch import watch_exercises
from tui.widgets.detail import DetailPane
from tui.widgets.exercise_list import ExerciseList
from tui.widgets.progress import CourseProgress
from tui.words import translate_bindings

__all__ = ["MainScreen"]


class MainScreen(Screen[None]):
    """Where the student works: pick an exercise, save, read the verdict, ask for hints."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "move(1)", N_("next")),
        Binding("k", "move(-1)", N_("prev")),
        Binding("down", "move(1)", N_("next"), show=False),
        Binding("up", "move(-1)", N_("prev"), show=False),
        # priority: a focused detail pane would otherwise take ← → to scroll sideways.
        Binding("right", "test(1)", N_("next test"), priority=True),
        Binding("left", "test(-1)", N_("prev test"), show=False, priority=True),
        Binding("right_square_bracket", "test(1)", N_("next test"), show=False),
        Binding("left_square_bracket", "test(-1)", N_("prev test"), show=False),
        Binding("h", "hint", N_("hint")),
        Binding("r", "recheck", N_("re-check")),
        Binding("e", "edit", N_("edit")),
    ]

    def __init__(self, tutor: Tutor, client: GraderClient, exercises_dir: Path, *,
                 watch: bool = True, check_on_start: bool = True,
                 notices: Sequence[str] = ()) -> None:
        super().__init__()
        translate_bindings(self)
        self.tutor = tutor
        self.client = client
        self.exercises_dir = exercises_dir
        self.queue = GradeQueue()
        self._watch = watch
        self._check_on_start = check_on_start
        self._stop_watching = anyio.Event()
        self._notices = list(notices)

    def compose(self) -> ComposeResult:
        yield CourseProgress(id="progress")
        with Horizontal(id="body"):
            yield ExerciseList(self.tutor, id="exercises")
            yield DetailPane(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ExerciseList).border_title = _("exercises")
        self.query_one(DetailPane).border_title = _("details")
        self.query_one(ExerciseList).highlighted = 0
        self._show_progress()
        for warning in self.tutor.store.take_warnings():  # e.g. a broken progress file
            self.notify(warning, severity="warning", timeout=30, markup=False)
        for notice in self._notices:  # e.g. stubs replaced by the ones in this language
            self.notify(notice, timeout=15, markup=False)
        # Start the grader only after the first frame is on screen: even spawning it costs time.
        self.call_after_refresh(self._start_background)

    def _start_background(self) -> None:
        self._grade_loop()
        if self._watch:
            self._watch_loop()
        if self._check_on_start:
            self.check([entry.info.id for entry in self.tutor.exercises])
        self.set_interval(0.5, self._show_progress)  # the grader warms up on its own time

    async def on_unmount(self) -> None:
        self._stop_watching.set()

    # --- grading ------------------------------------------------------------------------

    def check(self, exercise_ids: list[str], *, first: bool = False) -> None:
        """Queue exercises for grading; they show as checking until their verdict arrives."""
        for exercise_id in reversed(exercise_ids) if first else exercise_ids:
            self.queue.put(exercise_id, first=first)
        self.tutor.mark_checking(exercise_ids)
        for exercise_id in exercise_ids:
            self._refresh(exercise_id)

    @work(exclusive=True, group="grading")
    async def _grade_loop(self) -> None:
        with contextlib.suppress(GradingError):  # reported with the first verdict it costs
            await self.client.start()
        while True:
            exercise_id = await self.queue.get()
            try:
                result = await self.client.grade(self.exercises_dir, [exercise_id])
                self.tutor.apply(result)
            except GradingError as exc:
                self.tutor.fail(exercise_id, str(exc))
            except Exception as exc:  # a bug must cost one verdict, not the whole tutor
                self.tutor.fail(exercise_id, _("unexpected {error}: {message}").format(
                    error=type(exc).__name__, message=exc))
            # Saved again while it was being graded: it stays "checking" for the next round.
            self.tutor.mark_checking([exercise_id], exercise_id in self.queue)
            self._refresh(exercise_id)

    @work(exclusive=True, group="watch")
    async def _watch_loop(self) -> None:
        known = [entry.info.id for entry in self.tutor.exercises]
        try:
            await watch_exercises(self.exercises_dir, known, self.check, self._stop_watching)
        except Exception as exc:  # e.g. the folder vanished or inotify ran out of watches
            self.notify(_("Watching stopped ({error}); press r to check an exercise.").format(
                error=exc), severity="warning", timeout=30, markup=False)

    # --- display -----------------------------------------------------------------------

    @property
    def selected_id(self) -> str:
        return self.query_one(ExerciseList).selected_id

    def _refresh(self, exercise_id: str) -> None:
        self.query_one(ExerciseList).refresh_entry(exercise_id)
        self._show_progress()
        if exercise_id == self.selected_id:
            self._show_detail()

    def _show_progress(self) -> None:
        self.query_one(CourseProgress).show(self.tutor, self.client.state)

    def _show_detail(self) -> None:
        entry = self.tutor[self.selected_id]
        results = [t.result for t in entry.tests if t.result is not None]
        self.query_one(DetailPane).show(entry, plots_for(entry.info.id, results))

    @on(OptionList.OptionHighlighted, "#exercises")
    def _selected(self) -> None:
        self._show_detail()
        self.query_one(DetailPane).scroll_home(animate=False)

    # --- actions -----------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        self.query_one(ExerciseList).move(step)

    def action_test(self, step: int) -> None:
        self.tutor.move_test(self.selected_id, step)
        self._show_detail()

    def action_hint(self) -> None:
        test, revealed = self.tutor.reveal_hint(self.selected_id)
        if not revealed:
            what = (_("no hints for {test}") if not test.info.hints
                    else _("no more hints for {test}"))
            self.notify(what.format(test=test.name), severity="warning", markup=False)
        self._show_detail()

    def action_recheck(self) -> None:
        self.check([self.selected_id], first=True)

    def action_edit(self) -> None:
        path = self.exercises_dir / self.tutor[self.selected_id].info.filename
        command = editor_command()
        try:
            if command is None:  # no terminal editor: the system's (watch mode sees the save)
                open_with_system(path)
                return
            with self.app.suspend():
                subprocess.run([*command, str(path)], check=False)
        except Exception as exc:  # no terminal to hand over (e.g. headless), or no such editor
            self.notify(_("could not open the editor: {error}").format(error=exc),
                        severity="error", markup=False)
            return
        self.check([self.selected_id], first=True)  # events may not arrive on every filesystem
