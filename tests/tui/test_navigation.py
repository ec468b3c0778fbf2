"""Moving through the course: the list, the tests of an exercise, help, and the progress bar."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.widgets import Label, ProgressBar

from grader.course import CATALOG
from tui.app import DescentApp
from tui.screens.help import HelpScreen
from tui.state import Status
from tui.widgets.exercise_list import ExerciseList

Fake = Callable[..., Any]  # the FakeClient class of conftest
MakeApp = Callable[..., DescentApp]
Settle = Callable[..., Awaitable[None]]

pytestmark = pytest.mark.anyio


async def test_keys_move_through_the_exercises_and_stop_at_the_ends(make_app: MakeApp,
                                                                    settle: Settle) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        listing = app.screen.query_one(ExerciseList)
        assert listing.selected_id == "01_quadratic"
        await pilot.press("j", "j")
        assert listing.selected_id == "03_update_step"
        await pilot.press("k")
        assert listing.selected_id == "02_partials"
        below = len(CATALOG) - 2  # exercises after 02_partials
        await pilot.press(*["down"] * below, "j")  # one press past the last
        assert listing.selected_id == CATALOG[-1].id
        await pilot.press("up")
        assert listing.selected_id == CATALOG[-2].id
        await pilot.press(*["k"] * len(CATALOG))  # one press past the first
        assert listing.selected_id == "01_quadratic"


async def test_statuses_follow_the_results(make_app: MakeApp, settle: Settle, fake: Fake) -> None:
    app = make_app(fake(hold=["05_torch_gradients"]))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot, until=lambda: app.tutor["04_sigmoid_delta"].checks_done > 0)
        statuses = [entry.status for entry in app.tutor.exercises]
        # 05 never gets an answer, so the exercises queued behind it are still being checked.
        later = len(CATALOG) - 5
        assert statuses == [Status.PASSING, Status.UNDECIDED, Status.FAILING, Status.FAILING,
                            Status.CHECKING, *[Status.CHECKING] * later]


async def test_detail_starts_at_the_first_open_test_and_arrows_move_it(make_app: MakeApp,
                                                                       settle: Settle) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "j")
        entry = app.tutor["03_update_step"]
        assert entry.selected_test.info.function == "descend"  # step passes, descend fails
        await pilot.press("right")
        assert entry.selected_test.info.function == "step"  # wraps around
        await pilot.press("left")
        assert entry.selected_test.info.function == "descend"
        await pilot.press("r")  # a fresh result must not move a test the student picked
        await settle(app, pilot)
        await pilot.press("right")
        assert entry.selected_test.info.function == "step"


async def test_the_progress_bar_counts_points_earned_of_the_course(make_app: MakeApp,
                                                                   settle: Settle) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        bar = app.screen.query_one("#bar", ProgressBar)
        # 01: 4 of 4; 02: 4 of 6 (dE_dw undecided); 03: 1 of 3; 04: 1 of 4; the rest: 0.
        course = sum(entry.max_score for entry in CATALOG)
        assert (bar.progress, bar.total) == (10, course)
        assert app.tutor.passing == 1
        counts = str(app.screen.query_one("#counts", Label).render())
        assert f"10/{course:g} points · 1 of {len(CATALOG)} exercises passing" in counts


async def test_question_mark_opens_help_and_escape_closes_it(make_app: MakeApp,
                                                             settle: Settle) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_q_quits_and_closes_the_grader(make_app: MakeApp, fake: Fake) -> None:
    client = fake()
    app = make_app(client)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("q")
    assert app.return_code == 0
    assert client.state == "stopped"
