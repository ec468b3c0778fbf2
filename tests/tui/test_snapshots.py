"""Snapshots of the main screen in its key states, against a fake grader with canned results."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.pilot import Pilot

from tui.app import DescentApp

Fake = Callable[..., Any]  # the FakeClient class of conftest
MakeApp = Callable[..., DescentApp]
Settle = Callable[..., Awaitable[None]]
SnapCompare = Callable[..., bool]
Before = Callable[[Pilot[Any]], Awaitable[None]]

SIZE = (120, 40)


def _settled(app: DescentApp, settle: Settle, *, done: str) -> Before:
    async def run_before(pilot: Pilot[Any]) -> None:
        # 05 is held in "checking", and 06-09 wait behind it; everything before has its verdict.
        await settle(app, pilot, until=lambda: app.tutor[done].checks_done > 0)

    return run_before


def test_overview_with_every_status(snap_compare: SnapCompare, make_app: MakeApp, settle: Settle,
                                    fake: Fake) -> None:
    app = make_app(fake(hold=["05_torch_gradients"]))
    assert snap_compare(app, terminal_size=SIZE,
                        run_before=_settled(app, settle, done="04_sigmoid_delta"))


def test_failing_update_step_with_hint_and_diverging_plot(snap_compare: SnapCompare,
                                                          make_app: MakeApp, settle: Settle,
                                                          fake: Fake) -> None:
    app = make_app(fake(hold=["05_torch_gradients"]))
    assert snap_compare(app, terminal_size=SIZE, press=["j", "j", "h"],
                        run_before=_settled(app, settle, done="04_sigmoid_delta"))


def test_sigmoid_plots_against_the_truth(snap_compare: SnapCompare, make_app: MakeApp,
                                         settle: Settle, fake: Fake) -> None:
    app = make_app(fake(hold=["05_torch_gradients"]))

    async def run_before(pilot: Pilot[Any]) -> None:
        await _settled(app, settle, done="04_sigmoid_delta")(pilot)
        await pilot.press("j", "j", "j")
        app.screen.query_one("#detail").scroll_end(animate=False)  # down to the plots

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare: SnapCompare, make_app: MakeApp, fake: Fake) -> None:
    app = make_app(fake(hold=["05_torch_gradients"]), check_on_start=False)
    assert snap_compare(app, terminal_size=SIZE, press=["question_mark"])
