"""Hints: one more tier per key press, kept on screen and recorded in the CLI's progress store."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from grader.course import find_exercise
from grader.progress import ProgressStore
from tui.app import DescentApp

MakeApp = Callable[..., DescentApp]
Settle = Callable[..., Awaitable[None]]
TextOf = Callable[[DescentApp, str], str]

pytestmark = pytest.mark.anyio


async def test_h_reveals_the_next_tier_of_the_first_failing_test(make_app: MakeApp, settle: Settle,
                                                                 text_of: TextOf,
                                                                 course: Path) -> None:
    tiers = find_exercise("03_update_step").hints["descend"]
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "j", "h")
        store = ProgressStore(course)
        assert store.hints_seen("03_update_step:descend") == 1
        assert store.hints_seen("03_update_step:step") == 0
        assert tiers[0][:40] in text_of(app, "#detail-tests")
        assert tiers[1][:40] not in text_of(app, "#detail-tests")
        await pilot.press("h")
        assert store.hints_seen("03_update_step:descend") == 2
        text = text_of(app, "#detail-tests")
        assert tiers[0][:40] in text and tiers[1][:40] in text  # earlier tiers stay visible


async def test_hints_stop_at_the_last_tier_and_survive_a_restart(make_app: MakeApp, settle: Settle,
                                                                 text_of: TextOf,
                                                                 course: Path) -> None:
    tiers = find_exercise("03_update_step").hints["descend"]
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "j", *["h"] * (len(tiers) + 2))
        assert ProgressStore(course).hints_seen("03_update_step:descend") == len(tiers)
        assert "no more hints" in text_of(app, "#detail-tests")
    again = make_app()
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(again, pilot)
        await pilot.press("j", "j")
        assert again.tutor["03_update_step"].selected_test.hints_seen == len(tiers)
        assert tiers[-1][:40] in text_of(again, "#detail-tests")


async def test_hint_follows_the_test_picked_with_the_arrows(make_app: MakeApp, settle: Settle,
                                                            course: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "j", "right", "h")
        assert ProgressStore(course).hints_seen("03_update_step:step") == 1
        assert ProgressStore(course).hints_seen("03_update_step:descend") == 0
