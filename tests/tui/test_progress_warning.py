"""A broken progress file: the tutor opens, says where the old file went, and records afresh."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from grader.progress import ProgressStore
from tui.app import DescentApp

pytestmark = pytest.mark.anyio


async def test_the_tutor_warns_about_a_broken_progress_file_and_goes_on(
        make_app: Callable[..., DescentApp], settle: Callable[..., Awaitable[None]],
        course: Path) -> None:
    (course / ".descent").mkdir()
    (course / ".descent" / "progress.json").write_text('{"hints": {"03_update_step:step": [')
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        (aside,) = (course / ".descent").glob("progress.json.broken-*")
        messages = [n.message for n in app._notifications]
        assert any(aside.name in m and "is not valid JSON" in m for m in messages), messages
        await pilot.press("j", "j", "h")
        assert ProgressStore(course).hints_seen("03_update_step:descend") == 1
