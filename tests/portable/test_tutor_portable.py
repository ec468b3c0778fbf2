"""The tutor, driven by Pilot, with its grading service in simulated Windows (portable mode)."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest

from grader.course import CATALOG
from tui.app import DescentApp
from tui.grading import ServiceClient
from tui.outline import outline_from_catalog
from tui.state import Status

SIMULATION = Path(__file__).resolve().parent
ROOT = SIMULATION.parents[1]

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def _until(pilot: object, done: Callable[[], bool], timeout: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        await pilot.pause(0.05)  # type: ignore[attr-defined]
        if done():
            return
    raise AssertionError(f"the tutor did not settle within {timeout} s")


async def test_saving_solutions_flips_verdicts_in_portable_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    course = tmp_path / "my course"
    shutil.copytree(ROOT / "exercises", course / "exercises")
    monkeypatch.delenv("DESCENT_ISOLATION", raising=False)
    monkeypatch.setenv("PYTHONPATH", str(SIMULATION))  # the service runs without fork & co.
    client = ServiceClient()
    app = DescentApp(course, client=client, outline=outline_from_catalog(CATALOG), watch=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await _until(pilot, lambda: all(e.checks_done and not e.checking
                                        for e in app.tutor.exercises), 90)
        assert client._process is not None
        workers = [p for p in psutil.Process(client._process.pid).children(recursive=True)
                   if "grader.portable.child_main:worker" in " ".join(p.cmdline())]
        assert workers, "the service is not using the portable runner"
        for exercise in ("03_update_step", "01_quadratic"):  # numeric, then symbolic
            entry = app.tutor[exercise]
            assert entry.status is Status.NOT_STARTED
            checked = entry.checks_done
            text = (ROOT / "solutions" / f"{exercise}.py").read_text(encoding="utf-8")
            (course / "exercises" / f"{exercise}.py").write_bytes(
                text.replace("\n", "\r\n").encode("utf-8"))
            await _until(pilot, lambda entry=entry, checked=checked:
                         entry.checks_done > checked and not entry.checking, 30)
            assert entry.status is Status.PASSING, exercise
        await pilot.press("q")
