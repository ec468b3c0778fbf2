"""The real `descent` in a real terminal (tmux): the list shows, q exits, a lost terminal ends."""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None,
                                reason="tmux is not installed: the real-terminal test needs it")


def _descent() -> str:
    script = Path(sys.executable).with_name("descent")
    if script.exists():
        return shlex.quote(str(script))
    return f"{shlex.quote(sys.executable)} -m grader.cli"  # a checkout that is not installed


def _wait(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_descent_opens_the_tutor_and_q_quits(course: Path) -> None:
    socket = f"descent-test-{os.getpid()}"  # a private tmux server: never the user's sessions
    rc_file = course / "exit-code"
    tmux = ["tmux", "-L", socket]
    command = f"{_descent()}; echo $? > {shlex.quote(str(rc_file))}"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO),
                                                               os.environ.get("PYTHONPATH")])))
    subprocess.run([*tmux, "new-session", "-d", "-x", "120", "-y", "40", "-c", str(course),
                    command], check=True, env=env)

    def screen() -> str:
        shown = subprocess.run([*tmux, "capture-pane", "-p"], capture_output=True, text=True)
        return shown.stdout

    try:
        assert _wait(lambda: all(word in screen() for word in ("05_torch_gradients", "points",
                                                                "quit")), 20), screen()
        text = screen()
        for entry in ("01_quadratic", "02_partials", "03_update_step", "04_sigmoid_delta"):
            assert entry in text
        assert "exercises passing" in text and "q quit" in text
        subprocess.run([*tmux, "send-keys", "q"], check=True)
        assert _wait(rc_file.exists, 10), f"descent did not exit on q:\n{screen()}"
        assert _wait(lambda: rc_file.read_text().strip() != "", 2)
        assert rc_file.read_text().strip() == "0"
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)


@pytest.mark.skipif(not Path("/proc").is_dir() or shutil.which("make") is None,
                    reason="runs the tutor as `make tutor` does and finds it in /proc")
def test_the_tutor_leaves_when_its_terminal_is_gone(course: Path) -> None:
    # Started by `make tutor` (make leads the terminal's session), the tutor gets no hang-up
    # signal when the terminal goes: it must notice and end, with its grader.
    socket = f"descent-gone-{os.getpid()}"
    tmux = ["tmux", "-L", socket]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO),
                                                               os.environ.get("PYTHONPATH")])))
    (course / "Makefile").write_text(f"tutor:\n\t{_descent()}\n", encoding="utf-8")
    subprocess.run([*tmux, "new-session", "-d", "-x", "120", "-y", "40", "-c", str(course),
                    "make tutor"], check=True, env=env)
    try:
        shell = subprocess.run([*tmux, "list-panes", "-F", "#{pane_pid}"], capture_output=True,
                               text=True, check=True).stdout.split()[0]
        tutor: list[int] = []
        assert _wait(lambda: bool(tutor.extend(_children(int(shell))) or tutor), 20)
        assert _wait(lambda: bool(_children(tutor[0])), 20)  # its grader has started
        grader = _children(tutor[0])
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
    try:
        assert _wait(lambda: not _alive(tutor[0]), 10), "the tutor outlived its terminal"
        assert _wait(lambda: not any(_alive(pid) for pid in grader), 10)
    finally:
        for pid in [*tutor[:1], *grader]:  # never leave one spinning after a failure
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def _children(pid: int) -> list[int]:
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(child) for child in found]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
