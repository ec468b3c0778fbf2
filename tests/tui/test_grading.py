"""Grading from the tutor: watch mode with the real service, re-check, failures, the client."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from watchfiles import Change

from grader.course import CATALOG
from tui.app import DescentApp
from tui.grading import GradeQueue, GradingError, ServiceClient
from tui.state import Status
from tui.watch import changed_exercises

Fake = Callable[..., Any]  # the FakeClient class of conftest
MakeApp = Callable[..., DescentApp]
Settle = Callable[..., Awaitable[None]]
TextOf = Callable[[DescentApp, str], str]

pytestmark = pytest.mark.anyio
SOLUTIONS = Path(__file__).resolve().parents[2] / "solutions"


async def test_saving_a_solution_flips_the_status_to_passing(make_app: MakeApp, settle: Settle,
                                                             course: Path) -> None:
    app = make_app(ServiceClient(), watch=True)  # the real grading service
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot, timeout=45)
        entry = app.tutor["03_update_step"]
        assert entry.status is Status.NOT_STARTED
        checked = entry.checks_done
        shutil.copyfile(SOLUTIONS / "03_update_step.py", course / "exercises" / "03_update_step.py")
        await settle(app, pilot, timeout=20,
                     until=lambda: entry.checks_done > checked and not entry.checking)
        assert entry.status is Status.PASSING
        assert entry.score == entry.max_score == 3
        await pilot.press("q")


async def test_r_checks_the_selected_exercise_again(make_app: MakeApp, settle: Settle,
                                                    fake: Fake) -> None:
    client = fake()
    app = make_app(client)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "r")
        await settle(app, pilot)
        # One check per exercise at start, in course order, then the one `r` asked for.
        assert client.requests == [[entry.id] for entry in CATALOG] + [["02_partials"]]


async def test_a_grader_failure_is_shown_and_keeps_earlier_verdicts(make_app: MakeApp,
                                                                    settle: Settle,
                                                                    text_of: TextOf,
                                                                    fake: Fake) -> None:
    app = make_app(fake(fail=["03_update_step"]))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "j")
        entry = app.tutor["03_update_step"]
        assert entry.error is not None and entry.status is Status.NOT_STARTED
        text = text_of(app, "#detail-tests")
        assert "grader problem" in text and "stopped" in text


def test_only_exercise_files_count_as_changes() -> None:
    known = ["01_quadratic", "03_update_step"]
    changes = [(Change.added, "/c/exercises/.03_update_step.py.swp"),
               (Change.modified, "/c/exercises/03_update_step.py"),
               (Change.added, "/c/exercises/4913"),
               (Change.modified, "/c/exercises/03_update_step.py~"),
               (Change.deleted, "/c/exercises/01_quadratic.py"),
               (Change.modified, "/c/exercises/03_update_step.py"),
               (Change.modified, "/c/exercises/99_unknown.py")]
    assert changed_exercises(changes, known) == ["03_update_step", "01_quadratic"]


async def test_the_queue_keeps_order_drops_duplicates_and_lets_a_recheck_go_first() -> None:
    queue = GradeQueue()
    for name in ("a", "b", "a", "c"):
        queue.put(name)
    queue.put("c", first=True)
    assert [await queue.get() for _ in range(3)] == ["c", "a", "b"]


_DIES_ON_REQUEST = """
import json, sys
print(json.dumps({"ready": True}), flush=True)
sys.stdin.readline()
sys.exit(3)
"""


async def test_the_client_reports_a_dead_service_and_restarts_it(tmp_path: Path) -> None:
    client = ServiceClient([sys.executable, "-c", _DIES_ON_REQUEST], request_timeout=10)
    try:
        for _ in range(2):  # the second request runs on a fresh process
            with pytest.raises(GradingError, match="exit code 3"):
                await client.grade(tmp_path, ["01_quadratic"])
    finally:
        await client.close()


async def test_the_client_gives_up_on_a_hung_service(tmp_path: Path) -> None:
    hangs = "import json, time; print(json.dumps({'ready': True}), flush=True); time.sleep(60)"
    client = ServiceClient([sys.executable, "-c", hangs], request_timeout=0.5)
    try:
        with pytest.raises(GradingError, match=r"no answer within 0\.5 s"):
            await client.grade(tmp_path, ["01_quadratic"])
        assert client.state == "restarting"
    finally:
        await client.close()


async def test_a_grader_that_cannot_start_is_reported(tmp_path: Path) -> None:
    client = ServiceClient([str(tmp_path / "no-such-python")])
    with pytest.raises(GradingError, match="cannot start the grader"):
        await client.grade(tmp_path, ["01_quadratic"])
    await client.close()
