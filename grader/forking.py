"""Fork-based child processes: framed pipes, wall-clock deadlines and whole-tree kills."""

from __future__ import annotations

import array
import contextlib
import ctypes
import json
import os
import select
import signal
import socket
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "MAX_MESSAGE_BYTES",
    "Child",
    "ChildCrashed",
    "ChildTimeout",
    "ProtocolViolation",
    "call_in_fork",
    "describe_returncode",
    "fork_child",
    "kill_tree",
    "process_table",
    "read_at",
    "reap",
    "received_fds",
    "register_child",
]

MAX_MESSAGE_BYTES = 8 * 1024 * 1024
_HEADER = struct.Struct(">I")
# How much one read of a child's pipe asks for: a pipe's whole buffer.
_READ_BYTES = 1 << 16
_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36


class ChildTimeout(Exception):
    """The child did not answer before its deadline (and has been killed)."""


class ChildCrashed(Exception):
    """The child died or closed its channel before answering."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


class ProtocolViolation(Exception):
    """The child sent bytes that are not a well-formed, bounded message."""


def _prctl(option: int, value: int) -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(option, value, 0, 0, 0)
    except (OSError, AttributeError, TypeError):  # not Linux: the wall-clock kill still applies
        pass


def register_child(pid: int) -> None:
    """Record a child forked elsewhere (the zygote) so `reap_orphans` leaves it alone."""
    _live_children.add(pid)


def reap(pid: int) -> str:
    """Wait for a (killed) child of ours and say how it ended."""
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        status = 0
    _live_children.discard(pid)
    return _describe_status(status)


def become_subreaper() -> None:
    """Make this process adopt orphaned descendants so none can outlive a kill."""
    global _subreaper
    _prctl(_PR_SET_CHILD_SUBREAPER, 1)
    _subreaper = True


@dataclass
class Child:
    """The parent's handle on one forked child: its pid and the two pipe ends.

    Replies are read through `receive`, which may read ahead: only a caller whose child
    sends one message per request (the batch pool) may wait on `from_child` itself.
    """

    pid: int
    to_child: int
    from_child: int
    # Kills and reaps a child this process did not fork itself (a zygote's worker).
    ender: Callable[[int], str] | None = None
    _status: str | None = None
    # Read from the pipe, not yet taken by a message.
    _pending: bytearray = field(default_factory=bytearray)

    def send(self, message: Any) -> None:
        payload = json.dumps(message, allow_nan=True).encode()
        try:
            _write_all(self.to_child, _HEADER.pack(len(payload)) + payload)
        except (BrokenPipeError, OSError) as exc:
            raise ChildCrashed(self.describe_exit()) from exc

    def receive(self, timeout: float) -> Any:
        """Read one framed JSON message; kill the child on timeout or garbage."""
        deadline = time.monotonic() + timeout
        header = self._read_exact(_HEADER.size, deadline)
        (size,) = _HEADER.unpack(header)
        if size > MAX_MESSAGE_BYTES:
            self.kill()
            raise ProtocolViolation(f"answer of {size} bytes exceeds the {MAX_MESSAGE_BYTES} cap")
        payload = self._read_exact(size, deadline)
        try:
            return json.loads(payload)
        except (ValueError, RecursionError) as exc:
            self.kill()
            raise ProtocolViolation("answer is not well-formed JSON") from exc

    def _read_exact(self, size: int, deadline: float) -> bytes:
        # Whatever the pipe holds is taken at once: a child answering case after case has
        # often sent the next replies already, which then cost no wait and no system call.
        while len(self._pending) < size:
            self._pending += self._next_chunk(size - len(self._pending), deadline)
        data = bytes(self._pending[:size])
        del self._pending[:size]
        return data

    def _next_chunk(self, wanted: int, deadline: float) -> bytes:
        """Some bytes from the child (a pipe's worth if it holds them, `wanted` at least if
        there are as many), waiting until `deadline`; kills the child past it."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                raise ChildTimeout()
            ready, _, _ = select.select([self.from_child], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.from_child, min(max(wanted, _READ_BYTES), 1 << 20))
            if not chunk:
                raise ChildCrashed(self.describe_exit())
            return chunk

    def describe_exit(self) -> str:
        """Wait for the child and say how it ended (exit code or signal)."""
        if self._status is None:
            self.kill()
        return self._status or "ended"

    def kill(self) -> None:
        """Kill the child with its whole process tree and reap it; idempotent."""
        if self._status is not None:
            return
        if self.ender is not None:
            self._status = self.ender(self.pid)
        else:
            kill_tree(self.pid)
            self._status = reap(self.pid)
            reap_orphans()
        for fd in (self.to_child, self.from_child):
            with contextlib.suppress(OSError):
                os.close(fd)


def received_fds(ancillary: list[tuple[int, int, bytes]]) -> list[int]:
    """The descriptors passed in a message's ancillary data (SCM_RIGHTS)."""
    fds = array.array("i")
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[: len(data) - len(data) % fds.itemsize])
    return list(fds)


def fork_child(
    body: Callable[[int, int], None], *, prepare: Callable[[], None] | None = None
) -> Child:
    """Fork; the child runs `prepare()` then `body(read_fd, write_fd)` and always `_exit`s."""
    parent_read, child_write = os.pipe()
    child_read, parent_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child, observed through the pipes
        code = 0
        try:
            os.close(parent_read)
            os.close(parent_write)
            os.setsid()
            _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGPIPE, signal.SIG_DFL)
            if prepare is not None:
                prepare()
            body(child_read, child_write)
        except BaseException:
            code = 70
        finally:
            os._exit(code)
    _live_children.add(pid)
    os.close(child_read)
    os.close(child_write)
    return Child(pid=pid, to_child=parent_write, from_child=parent_read)


def send_from_child(fd: int, message: Any) -> None:
    """Child side of the framing, used by trusted code before student code can interfere."""
    payload = json.dumps(message, allow_nan=True).encode()
    _write_all(fd, _HEADER.pack(len(payload)) + payload)


def read_in_child(fd: int) -> Any:
    """Child side: block for one framed request from the parent; None at end of stream."""
    header = _read_blocking(fd, _HEADER.size)
    if header is None:
        return None
    (size,) = _HEADER.unpack(header)
    payload = _read_blocking(fd, size)
    return None if payload is None else json.loads(payload)


def call_in_fork(fn: Callable[[], Any], timeout: float) -> Any:
    """Run trusted `fn` in a forked child and return its JSON-able result.

    For work that may run away (SymPy has no timeout of its own): the fork is killed at the
    deadline and `ChildTimeout` is raised; an exception in `fn` comes back as `ChildCrashed`.
    """

    def body(_read_fd: int, write_fd: int) -> None:
        try:
            result = {"ok": fn()}
        except Exception as exc:  # reported to the parent as data
            result = {"error": f"{type(exc).__name__}: {exc}"}
        send_from_child(write_fd, result)

    child = fork_child(body)
    try:
        reply = child.receive(timeout)
    finally:
        child.kill()
    if not isinstance(reply, dict):
        raise ProtocolViolation("malformed reply")
    if "error" in reply:
        raise ChildCrashed(str(reply["error"]))
    return reply.get("ok")


def kill_tree(root: int) -> None:
    """SIGKILL `root`, its process group and every descendant found in /proc."""
    victims = {root, *_descendants(root)}
    for pid in victims:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(root, signal.SIGKILL)


def reap_orphans() -> None:
    """Kill and reap descendants re-parented to us (we are a subreaper) after a tree kill."""
    me = os.getpid()
    for pid, ppid, _ in process_table():
        # Adopted orphans only exist because we are a subreaper; our own live children are
        # registered, so anything else parented to us escaped a killed tree.
        if _subreaper and ppid == me and pid not in _live_children:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError, PermissionError):
                pass


_live_children: set[int] = set()
_subreaper = False


def _descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for pid, ppid, _ in process_table():
        children.setdefault(ppid, []).append(pid)
    found: set[int] = set()
    stack = [root]
    while stack:
        for kid in children.get(stack.pop(), ()):
            if kid not in found:
                found.add(kid)
                stack.append(kid)
    return found


def process_table() -> list[tuple[int, int, int]]:
    """(pid, ppid, process group) of every process this process can see in /proc."""
    rows = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return rows
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read().decode(errors="replace")
        except OSError:
            continue
        # The command name may contain spaces and parentheses: split after the last ')'.
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) >= 3:
            rows.append((int(entry), int(fields[1]), int(fields[2])))
    return rows


def _describe_status(status: int) -> str:
    try:
        return describe_returncode(os.waitstatus_to_exitcode(status))
    except ValueError:  # stopped, not ended
        return "ended"


def describe_returncode(code: int | None) -> str:
    """How a child ended, from its exit code (negative: the signal that killed it)."""
    if code is None:
        return "ended"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        return f"killed by signal {name}"
    return f"exited with code {code}"


def read_at(fd: int, size: int, offset: int) -> bytes:
    """Up to `size` bytes of the file `fd` from `offset` (os.pread where the system has it)."""
    if hasattr(os, "pread"):
        return os.pread(fd, size, offset)
    os.lseek(fd, offset, os.SEEK_SET)  # Windows: this process alone reads from `fd`
    return os.read(fd, size)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _read_blocking(fd: int, size: int) -> bytes | None:
    chunks: list[bytes] = []
    remaining = size
    while remaining:
        chunk = os.read(fd, remaining)
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)
