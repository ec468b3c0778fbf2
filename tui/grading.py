"""The tutor's side of `python -m grader.service`: a lazily started, self-restarting client."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from grader.i18n import N_, _
from grader.model import SubmissionResult
from grader.portable.process import kill_tree

__all__ = ["GradeQueue", "GraderClient", "GradingError", "ServiceClient"]


class GradingError(Exception):
    """The grader could not answer: it crashed, timed out, or rejected the request."""


class GraderClient(Protocol):
    """What the tutor needs from a grader; tests inject canned ones."""

    @property
    def state(self) -> str:
        """A few English words for the status line, a catalogue key: "starting", "ready", …"""
        ...

    async def start(self) -> None:
        """Begin warming up in the background; returns at once."""
        ...

    async def grade(self, exercises_dir: Path, exercises: Sequence[str]) -> SubmissionResult:
        """Grade `exercises` in `exercises_dir`; raises GradingError."""
        ...

    async def close(self) -> None:
        """Stop grading and release the grader's resources."""
        ...


def _service_command() -> list[str]:
    return [sys.executable, "-m", "grader.service"]


def _service_env() -> dict[str, str]:
    # The child must import the same `grader` as this process even when the tutor runs from
    # a source checkout that is not installed.
    import grader

    root = str(Path(grader.__file__).resolve().parents[1])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    return env


class ServiceClient:
    """One warm `grader.service` process; requests are serialised, a dead one is restarted."""

    _LINE_LIMIT = 32 * 1024 * 1024  # a result with long printed output is one big JSON line

    def __init__(self, command: Sequence[str] | None = None, *, startup_timeout: float = 120.0,
                 request_timeout: float = 120.0) -> None:
        self._command = list(command or _service_command())
        self._startup_timeout = startup_timeout
        self._request_timeout = request_timeout
        self._process: asyncio.subprocess.Process | None = None
        self._ready: asyncio.Future[None] | None = None
        self._lock = asyncio.Lock()
        self._stderr: deque[str] = deque(maxlen=40)
        self._tasks: set[asyncio.Task[None]] = set()
        self._next_id = 0
        self.state = N_("starting")

    async def start(self) -> None:
        if self._process is None or self._process.returncode is not None:
            await self._spawn()

    async def _spawn(self) -> None:
        self.state = N_("starting") if self._process is None else N_("restarting")
        self._stderr.clear()
        try:
            self._process = await asyncio.create_subprocess_exec(
                *self._command, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE, env=_service_env(), limit=self._LINE_LIMIT,
                start_new_session=True,  # a Ctrl-C in the terminal is the tutor's, not the grader's
            )
        except OSError as exc:
            self.state = N_("cannot start")
            raise GradingError(_("cannot start the grader ({error})").format(error=exc)) from exc
        self._ready = asyncio.get_running_loop().create_future()
        # Retrieve a start-up failure even when no request is waiting, so asyncio stays quiet.
        self._ready.add_done_callback(lambda f: f.cancelled() or f.exception())
        # Both pipes are drained continuously: a full stderr pipe would block the service.
        self._spawn_task(self._drain_stderr(self._process))
        self._spawn_task(self._await_ready(self._process, self._ready))

    def _spawn_task(self, coroutine: Any) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _drain_stderr(self, process: asyncio.subprocess.Process) -> None:
        assert process.stderr is not None
        async for raw in process.stderr:
            self._stderr.append(raw.decode("utf-8", "replace").rstrip())

    async def _await_ready(self, process: asyncio.subprocess.Process,
                           ready: asyncio.Future[None]) -> None:
        try:
            message = await self._read_message(process, self._startup_timeout)
            if message.get("ready") is not True:
                raise GradingError(_("unexpected first message from the grader: {message}")
                                   .format(message=message))
        except asyncio.CancelledError:
            ready.cancel()
            raise
        except Exception as exc:
            if not ready.done():
                ready.set_exception(exc if isinstance(exc, GradingError)
                                    else GradingError(_("the grader did not start ({error})")
                                                      .format(error=repr(exc))))
            await self._kill(process)
            self.state = N_("stopped")
            return
        self.state = N_("ready")
        ready.set_result(None)

    async def _read_message(self, process: asyncio.subprocess.Process,
                            timeout: float) -> dict[str, Any]:
        assert process.stdout is not None
        try:
            line = await asyncio.wait_for(process.stdout.readline(), timeout)
        except TimeoutError:
            raise GradingError(_("the grader gave no answer within {seconds} s; it was "
                                 "stopped and will be restarted").format(
                                     seconds=f"{timeout:g}")) from None
        if not line:
            await process.wait()
            raise GradingError(self._death_message(process))
        return json.loads(line)

    def _death_message(self, process: asyncio.subprocess.Process) -> str:
        tail = "\n".join(list(self._stderr)[-8:])
        message = _("the grading process stopped (exit code {code}); it will be restarted")
        return message.format(code=process.returncode) + (f"\n{tail}" if tail else "")

    async def grade(self, exercises_dir: Path, exercises: Sequence[str]) -> SubmissionResult:
        async with self._lock:  # one request at a time: the protocol has no interleaving
            await self.start()
            process, ready = self._process, self._ready
            assert process is not None and ready is not None and process.stdin is not None
            try:
                await ready
                self._next_id += 1
                request = {"id": self._next_id, "exercises_dir": str(exercises_dir),
                           "exercises": list(exercises)}
                process.stdin.write((json.dumps(request) + "\n").encode())
                await process.stdin.drain()
                while True:
                    reply = await self._read_message(process, self._request_timeout)
                    if "error" in reply:
                        refused = reply["error"]
                        break
                    if reply.get("id") == self._next_id:
                        return SubmissionResult.from_dict(reply["result"])
            except (GradingError, OSError, ValueError, KeyError) as exc:
                # A dead, hung or garbled process cannot be trusted with the next request.
                await self._kill(process)
                self.state = N_("restarting")
                raise exc if isinstance(exc, GradingError) else GradingError(
                    _("the grader's answer was unreadable ({error}); it will be restarted")
                    .format(error=repr(exc))
                ) from exc
        raise GradingError(_("the grader refused the request: {error}").format(error=refused))

    async def _kill(self, process: asyncio.subprocess.Process) -> None:
        if process.returncode is None:
            kill_tree(process.pid)  # the sandbox's children too
            await process.wait()

    async def close(self) -> None:
        """Stop the service now: it keeps no state, and a polite exit takes torch ~0.6 s."""
        process = self._process
        if process is not None and process.returncode is None:
            kill_tree(process.pid, polite=True)
            try:
                await asyncio.wait_for(process.wait(), 0.5)
            except TimeoutError:
                await self._kill(process)
        for task in list(self._tasks):
            task.cancel()
        self.state = N_("stopped")


class GradeQueue:
    """Exercises waiting to be graded, in order, each at most once."""

    def __init__(self) -> None:
        self._pending: dict[str, None] = {}
        self._changed = asyncio.Event()

    def put(self, exercise_id: str, *, first: bool = False) -> None:
        if first:
            self._pending = {exercise_id: None, **self._pending}
        else:
            self._pending.setdefault(exercise_id, None)
        self._changed.set()

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self._pending

    async def get(self) -> str:
        while not self._pending:
            self._changed.clear()
            await self._changed.wait()
        exercise_id = next(iter(self._pending))
        del self._pending[exercise_id]
        return exercise_id
