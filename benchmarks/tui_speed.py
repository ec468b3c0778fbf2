"""Tutor speed: time to first paint, and save → verdict latency with the real grading service."""

# Run: .venv/bin/python benchmarks/tui_speed.py [--saves 5]
# Targets (issue 3): first paint ≤ 1.5 s; save → verdict median ≤ 300 ms numeric, ≤ 1 s symbolic.

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from textual.pilot import Pilot  # noqa: E402

from tui.app import DescentApp  # noqa: E402
from tui.grading import ServiceClient  # noqa: E402

# A fresh interpreter: imports count, as they do for a student typing `descent`.
_PAINT_PROBE = """
import asyncio, sys, time
from pathlib import Path
from tui.app import DescentApp
from tui.widgets.exercise_list import ExerciseList

async def main() -> None:
    app = DescentApp(Path(sys.argv[1]), watch=False, check_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.screen.query_one(ExerciseList).option_count == len(app.tutor.exercises)
        print(time.time(), flush=True)
        await app.client.close()

asyncio.run(main())
"""


def _course(root: Path) -> Path:
    shutil.copytree(REPO / "exercises", root / "exercises")
    return root


def first_paint_headless(course: Path) -> float:
    """Seconds from spawning python to the exercise list being mounted and painted."""
    started = time.time()
    done = subprocess.run([sys.executable, "-c", _PAINT_PROBE, str(course)], check=True,
                          capture_output=True, text=True, env=_env()).stdout.split()[-1]
    return float(done) - started


def _descent_command() -> str:
    descent = Path(sys.executable).with_name("descent")
    return shlex.quote(str(descent)) if descent.exists() else \
        f"{shlex.quote(sys.executable)} -m grader.cli"


# The tutor without the command line in front of it, to tell the two costs apart.
_TUTOR_ONLY = (f"{shlex.quote(sys.executable)} -c "
               + shlex.quote("from pathlib import Path; from tui.app import run_tutor; "
                             "run_tutor(Path.cwd())"))


def first_paint_terminal(course: Path, command: str) -> float | None:
    """Seconds until `command` shows the whole list in a real terminal (tmux), or None."""
    if shutil.which("tmux") is None:
        return None
    tmux = ["tmux", "-L", f"descent-bench-{os.getpid()}"]
    started = time.monotonic()
    subprocess.run([*tmux, "new-session", "-d", "-x", "120", "-y", "40", "-c", str(course),
                    command], check=True, env=_env())
    try:
        while time.monotonic() - started < 30:
            shown = subprocess.run([*tmux, "capture-pane", "-p"], capture_output=True,
                                   text=True).stdout
            if "05_torch_gradients" in shown and "points" in shown:
                return time.monotonic() - started
            time.sleep(0.01)
        return None
    finally:
        subprocess.run([*tmux, "send-keys", "q"], capture_output=True)
        time.sleep(1.0)
        subprocess.run([*tmux, "kill-server"], capture_output=True)


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=os.pathsep.join(
        filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))


async def _wait(pilot: Pilot[int], condition: object, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise TimeoutError("the tutor did not answer in time")
        await pilot.pause(0.002)


async def save_to_verdict(course: Path, exercise_id: str, saves: int) -> list[float]:
    """Seconds from writing the file to its new verdict on screen, per save (watch mode)."""
    app = DescentApp(course, client=ServiceClient(), watch=True)
    target = course / "exercises" / f"{exercise_id}.py"
    versions = [(REPO / "solutions" / f"{exercise_id}.py").read_text(encoding="utf-8"),
                (REPO / "exercises" / f"{exercise_id}.py").read_text(encoding="utf-8")]
    latencies: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        entry = app.tutor[exercise_id]
        await _wait(pilot, lambda: all(e.checks_done and not e.checking
                                       for e in app.tutor.exercises))
        for number in range(saves):
            before = entry.checks_done
            await asyncio.sleep(0.3)  # separate saves, as a person's are
            started = time.perf_counter()
            target.write_text(versions[number % 2], encoding="utf-8")
            await _wait(pilot, lambda: entry.checks_done > before and not entry.checking)  # noqa: B023
            latencies.append(time.perf_counter() - started)
        await app.client.close()
    return latencies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--saves", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        course = _course(Path(folder))
        paints = [first_paint_headless(course) for _ in range(3)]
        print(f"first paint, headless app in a fresh python: median "
              f"{statistics.median(paints):.2f} s  (runs: "
              f"{', '.join(f'{p:.2f}' for p in paints)}; target ≤ 1.5 s)")
        for label, command in (("`descent` command", _descent_command()),
                               ("tui.app.run_tutor alone", _TUTOR_ONLY)):
            terminal = first_paint_terminal(course, command)
            print(f"first paint in a real terminal (tmux), {label}: "
                  + ("tmux not installed" if terminal is None else f"{terminal:.2f} s"))
    for exercise_id, kind, target in (("03_update_step", "numeric", 0.3),
                                      ("01_quadratic", "symbolic", 1.0)):
        with tempfile.TemporaryDirectory() as folder:
            latencies = asyncio.run(save_to_verdict(_course(Path(folder)), exercise_id,
                                                    args.saves))
        print(f"save → verdict, {exercise_id} ({kind}): median "
              f"{statistics.median(latencies) * 1000:.0f} ms over {len(latencies)} saves "
              f"(each: {', '.join(f'{t * 1000:.0f}' for t in latencies)} ms; "
              f"target ≤ {target * 1000:.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
