"""Spawned children on every system: framed pipes read by a thread, deadlines, tree kills."""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import psutil

from grader.forking import Child, ChildCrashed, ChildTimeout, describe_returncode
from grader.portable.boot import child_environment, python_command

__all__ = ["SpawnedChild", "Standby", "Watch", "kill_tree", "spawn"]

# How often a waiting parent looks at the child's memory and output while no reply comes.
_WATCH_SECONDS = 0.2
_CHUNK = 1 << 20
# How long a tree kill waits for the killed processes to have ended.
_GONE_SECONDS = 10.0
# How long a tree kill waits for the killed tree's orphans to be handed to the grader.
_REAP_SECONDS = 1.0


@dataclass(frozen=True)
class Watch:
    """Limits the parent enforces from outside (no rlimits on Windows): memory and output."""

    memory_bytes: int
    output_bytes: int
    log_fd: int | None = None


@dataclass
class SpawnedChild(Child):
    """A `forking.Child` whose process was started with subprocess: the same framing and
    deadlines, replies read by a thread (select() cannot wait on pipes on Windows), and a
    kill that takes the whole tree with it."""

    process: subprocess.Popen[bytes] | None = None
    watch: Watch | None = None
    _chunks: queue.Queue[bytes] = field(default_factory=queue.Queue)
    _base_memory: int = 0

    def start_reading(self) -> None:
        """Copy the child's replies into the queue until it closes its end (b"" then)."""

        def pump() -> None:
            try:
                while chunk := os.read(self.from_child, _CHUNK):
                    self._chunks.put(chunk)
            except OSError:
                pass
            self._chunks.put(b"")

        threading.Thread(target=pump, name=f"descent-child-{self.pid}", daemon=True).start()

    def limit(self, watch: Watch) -> None:
        """Enforce `watch` from now on, memory counted above what the warm child uses now."""
        with contextlib.suppress(psutil.Error):
            self._base_memory = psutil.Process(self.pid).memory_info().rss
        self.watch = watch

    def _next_chunk(self, wanted: int, deadline: float) -> bytes:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                raise ChildTimeout()
            try:
                chunk = self._chunks.get(timeout=min(left, _WATCH_SECONDS))
            except queue.Empty:
                self._enforce()
                continue
            if not chunk:
                self._chunks.put(b"")  # the end stays the end for the next read
                raise ChildCrashed(self.describe_exit())
            return chunk

    def _enforce(self) -> None:
        watch = self.watch
        if watch is None:
            return
        why = None
        with contextlib.suppress(psutil.Error):
            used = psutil.Process(self.pid).memory_info().rss - self._base_memory
            if used > watch.memory_bytes:
                why = f"killed: it used more than {watch.memory_bytes >> 20} MiB of memory"
        if why is None and watch.log_fd is not None:
            with contextlib.suppress(OSError):
                if os.fstat(watch.log_fd).st_size > watch.output_bytes:
                    why = f"killed: it wrote more than {watch.output_bytes >> 20} MiB of output"
        if why is not None:
            self.kill()
            self._status = why
            raise ChildCrashed(why)

    def kill(self) -> None:
        """Kill the child with every process it started, and say how it ended; idempotent."""
        if self._status is not None or self.process is None:
            return
        kill_tree(self.pid)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5.0)
        self._status = describe_returncode(self.process.returncode)
        for stream in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                if stream is not None:
                    stream.close()

    @property
    def alive(self) -> bool:
        return self._status is None and self.process is not None and self.process.poll() is None


def spawn(target: str, *args: str) -> SpawnedChild:
    """Start `target` ("grader.module:function") in a clean interpreter on stdin/stdout pipes."""
    new_group: dict[str, Any] = (
        {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.CREATE_NO_WINDOW}
        if os.name == "nt" else {"start_new_session": True}
    )
    process = subprocess.Popen(
        python_command(target, str(os.getpid()), *args), stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=child_environment(),
        cwd=tempfile.gettempdir(), bufsize=0, **new_group,
    )
    assert process.stdin is not None and process.stdout is not None
    child = SpawnedChild(pid=process.pid, to_child=process.stdin.fileno(),
                         from_child=process.stdout.fileno(), process=process)
    child.start_reading()
    return child


class Standby:
    """Keeps `depth` children started ahead, so taking one costs no start-up (torch imports
    in ~1.5 s; two ahead keep up with a student saving every second)."""

    def __init__(self, start: Callable[[], SpawnedChild], depth: int = 1) -> None:
        self._start = start
        self._depth = depth
        self._waiting: list[SpawnedChild] = []
        self._lock = threading.Lock()

    def take(self) -> SpawnedChild:
        """The oldest waiting child, or a new one if none waits (or they died); the caller
        calls `prestart` once it is warm, so that start-ups never compete with it."""
        with self._lock:
            while self._waiting:
                child = self._waiting.pop(0)
                if child.alive:
                    return child
                child.kill()
        return self._start()

    def prestart(self) -> None:
        """Start children until `depth` are waiting."""
        with self._lock:
            self._waiting = [child for child in self._waiting if child.alive]
            while len(self._waiting) < self._depth:
                self._waiting.append(self._start())

    @property
    def pids(self) -> set[int]:
        return {child.pid for child in list(self._waiting) if child.alive}

    def close(self) -> None:
        with self._lock:
            for child in self._waiting:
                child.kill()
            self._waiting = []

    def disown(self) -> None:
        """In a forked copy of the grader: forget the waiting children, the parent's."""
        self._waiting = []


def kill_tree(pid: int, *, polite: bool = False) -> None:
    """Kill `pid` and every descendant (SIGTERM first when `polite`); on POSIX its process
    group too, which catches descendants whose parent already died."""
    try:
        root = psutil.Process(pid)
        if not polite:
            with contextlib.suppress(psutil.Error):
                root.suspend()  # it starts nothing more while its children go
        victims = [root, *root.children(recursive=True)]
    except psutil.Error:
        victims = []
    for process in reversed(victims):
        with contextlib.suppress(psutil.Error):
            process.terminate() if polite else process.kill()
    if hasattr(os, "killpg"):
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGTERM if polite else signal.SIGKILL)
    if polite:  # the caller waits for the root itself, then kills: not kept long here
        _wait_gone(victims[1:], 1.0)
    else:
        _wait_gone(victims, _GONE_SECONDS)
    if os.name != "nt":
        # The root stays for subprocess to reap (its exit status).
        # After a polite kill the caller kills what did not end, and reaps it then.
        _reap_orphans(victims[1:], {process.pid for process in victims},
                      0.0 if polite else _REAP_SECONDS)


def _reap_orphans(orphans: list[psutil.Process], parents: set[int], seconds: float) -> None:
    # On Linux the grader is a subreaper (grader.sandbox): orphans of the killed tree come
    # back to it as zombies. A killed parent's leader thread shows as a zombie while its other
    # threads still exit, and its children reach us only when the last has gone: while a
    # victim is still an orphan's parent, a failed wait is tried again.
    deadline = time.monotonic() + seconds
    while orphans:
        waiting = []
        for process in orphans:
            try:
                if os.waitpid(process.pid, os.WNOHANG)[0] == 0:
                    waiting.append(process)  # ours and not ended yet (a polite kill)
            except ChildProcessError:
                if _parent(process) in parents:
                    waiting.append(process)
            except OSError:
                pass
        orphans = waiting
        if not orphans or time.monotonic() >= deadline:
            return
        time.sleep(0.005)


def _parent(process: psutil.Process) -> int | None:
    try:
        return process.ppid()
    except psutil.Error:
        return None


def _wait_gone(victims: list[psutil.Process], seconds: float) -> None:
    # A killed process lives on while the kernel frees its memory: hundreds of forked copies
    # of a worker that imported torch take seconds on a busy machine. Until each has ended
    # (or is a zombie its parent or init reaps), the tree has not really gone.
    deadline = time.monotonic() + seconds
    while victims and time.monotonic() < deadline:
        victims = [process for process in victims if _running(process)]
        if victims:
            time.sleep(0.02)


def _running(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False
