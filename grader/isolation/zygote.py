"""The zygote: a clean, warm process that forks one confined worker per submission.

The nursery (a fresh process that never imported the course) forks a zygote for each
grading process, so a worker's memory holds neither the course's truths nor any
submission's data; the zygote scrubs its environment, enters the namespaces and then only
forks workers, kills them with everything they started, and reports how they ended. Grader
and zygote talk over a socket pair (worker pipes travel as SCM_RIGHTS).
"""

from __future__ import annotations

import array
import contextlib
import ctypes
import json
import os
import select
import signal
import socket
import sys
import threading
import traceback
from typing import Any

# Everything a worker needs from the grader is imported with this module, in the grader:
# the private root holds no grader files, and a first numpy import in the zygote would
# start OpenBLAS threads (a process with threads cannot enter a user namespace).
import grader.child
import grader.isolation.worker
import grader.symbolic.tree  # the wire encoder imports it lazily
from grader import forking, nursery
from grader.isolation import kernel, mounts
from grader.isolation.plan import Plan

__all__ = ["ZygoteClient", "run"]

_MAX_MESSAGE = 64 * 1024
_REPLY_SECONDS = 30.0
_START_SECONDS = 120.0
_KEEP_MODULES = ("grader.child", "grader.forking", "grader.inputs", "grader.wire",
                 "grader.errors", "grader.symbolic", "grader.isolation")


class ZygoteClient:
    """The grader's handle on its zygote: start it, spawn workers, finish them, stop it."""

    def __init__(self, plan: Plan, *, namespaces: bool) -> None:
        self.plan = plan
        self._lock = threading.Lock()
        self._sock, zygote_sock = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            nursery.request_zygote(zygote_sock.fileno(), plan.to_dict(), namespaces)
        finally:
            zygote_sock.close()
        # The nursery may still be importing torch when the request arrives.
        first = self._receive(_START_SECONDS)
        if not isinstance(first, dict) or not isinstance(first.get("pid"), int):
            self.close()
            raise OSError(f"the zygote failed to start: {first!r}")
        self.pid: int = first["pid"]
        hello = self._receive(_REPLY_SECONDS)
        if not isinstance(hello, dict) or "namespaces" not in hello:
            self.close()
            raise OSError(f"the zygote failed to start: {hello!r}")
        self.namespaces: tuple[str, ...] = tuple(hello["namespaces"])
        self.notes: tuple[str, ...] = tuple(hello.get("notes", ()))

    @property
    def alive(self) -> bool:
        return self._sock is not None

    def spawn(self, request: dict[str, Any], fds: tuple[int, int, int]) -> int:
        """Fork a worker holding `fds` (request pipe, reply pipe, log); its pid in the zygote."""
        reply = self._call({"op": "spawn", **request}, fds)
        return int(reply["pid"])

    def finish(self, pid: int) -> str:
        """Kill a worker with every process it started; how it ended, in words."""
        try:
            return str(self._call({"op": "finish", "pid": pid})["status"])
        except OSError:
            return "ended (the zygote was restarted)"

    def disown(self) -> None:
        """In a forked copy of the grader: drop the socket, leave the zygote running."""
        sock, self._sock = self._sock, None
        if sock is not None:
            with contextlib.suppress(OSError):
                os.close(sock.detach())

    def close(self) -> None:
        """Stop the zygote and everything in it (the nursery reaps it)."""
        sock, self._sock = self._sock, None
        if sock is not None:
            sock.close()
        if getattr(self, "pid", None) is not None:
            forking.kill_tree(self.pid)

    def _call(self, message: dict[str, Any], fds: tuple[int, ...] = ()) -> dict[str, Any]:
        with self._lock:
            if self._sock is None:
                raise OSError("the zygote is not running")
            try:
                ancillary = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))]
                self._sock.sendmsg([json.dumps(message).encode()], ancillary if fds else [])
                reply = self._receive(_REPLY_SECONDS)
            except OSError:
                self.close()
                raise
        if not isinstance(reply, dict) or "error" in reply:
            raise OSError(f"the zygote refused: {reply!r}")
        return reply

    def _receive(self, timeout: float) -> Any:
        assert self._sock is not None
        ready, _, _ = select.select([self._sock], [], [], timeout)
        if not ready:
            raise OSError("the zygote did not answer")
        data = self._sock.recv(_MAX_MESSAGE)
        if not data:
            raise OSError("the zygote ended")
        return json.loads(data)


# --- inside the zygote ----------------------------------------------------------------------


def run(fd: int, plan: Plan, namespaces: bool) -> None:  # pragma: no cover - in the zygote
    """The zygote's life, in a fork of the nursery, serving the grader on socket `fd`."""
    code = 0
    try:
        _zygote_main(socket.socket(fileno=fd), plan, namespaces)
    except BaseException:
        code = 70
    finally:
        os._exit(code)


def _zygote_main(sock: socket.socket, plan: Plan, namespaces: bool) -> None:
    _send(sock, {"pid": os.getpid()})  # the grader's handle for killing it
    os.setsid()
    kernel.prctl(kernel.PR_SET_PDEATHSIG, signal.SIGKILL)
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD):
        signal.signal(signum, signal.SIG_DFL)
    _scrub(sock.fileno())
    names: tuple[str, ...] = ()
    notes: list[str] = []
    if namespaces:
        user = os.geteuid() != 0
        try:
            mounts.enter_namespaces(user)
        except OSError as exc:
            threads = len(os.listdir("/proc/self/task"))
            notes.append(f"namespaces unavailable ({exc.strerror or exc}; {threads} thread(s))")
        else:
            _become_namespace_init(sock)
            try:
                mounts.build_root(plan)
            except OSError as exc:
                # The namespaces exist but the tree could not be built: this zygote is of no
                # use; the grader starts another one without namespaces.
                _send(sock, {"failed": f"private root unavailable ({exc})"})
                return
            names = mounts.namespace_names(user)
    forking.become_subreaper()
    grader.isolation.worker.prepare()
    grader.child.install_tripwires()
    _send(sock, {"namespaces": list(names), "notes": notes})
    _serve(sock, plan, names, grader.child)


def _become_namespace_init(sock: socket.socket) -> None:
    """Fork the PID namespace's init; this process only waits for it and mirrors its end."""
    pid = os.fork()
    if pid == 0:
        kernel.prctl(kernel.PR_SET_PDEATHSIG, signal.SIGKILL)
        return
    sock.close()
    _, status = os.waitpid(pid, 0)
    os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


def _serve(sock: socket.socket, plan: Plan, names: tuple[str, ...], child: Any) -> None:
    live: set[int] = set()
    while True:
        try:
            data, ancillary, _, _ = sock.recvmsg(_MAX_MESSAGE, socket.CMSG_SPACE(3 * 4))
        except OSError:
            data, ancillary = b"", []
        fds = forking.received_fds(ancillary)
        if not data:
            for pid in sorted(live):
                _finish(pid, live, names)
            return
        try:
            _handle(sock, json.loads(data), fds, live, plan, names, child)
        except Exception as exc:  # a bad request must not take the zygote down
            for fd in fds:
                with contextlib.suppress(OSError):
                    os.close(fd)
            _send(sock, {"error": f"{type(exc).__name__}: {exc}"})


def _handle(sock: socket.socket, request: dict[str, Any], fds: list[int], live: set[int],
            plan: Plan, names: tuple[str, ...], child: Any) -> None:
    """One request: spawn a worker on the descriptors received, or finish one."""
    if request["op"] == "spawn" and len(fds) == 3:
        pid = os.fork()
        if pid == 0:
            _worker(sock, fds, request, plan, names, child)
        for fd in fds:
            os.close(fd)
        live.add(pid)
        _send(sock, {"pid": pid})
    elif request["op"] == "finish":
        _send(sock, {"status": _finish(int(request["pid"]), live, names)})
    else:
        for fd in fds:
            os.close(fd)
        _send(sock, {"error": "bad request"})


def _worker(sock: socket.socket, fds: list[int], request: dict[str, Any], plan: Plan,
            names: tuple[str, ...], child: Any) -> None:  # pragma: no cover - in the worker
    code = 0
    try:
        sock.close()
        os.dup2(fds[2], 2)  # a failure to confine is reported in the submission's output
        read_fd, write_fd, log_fd = fds
        layers = grader.isolation.worker.confine((read_fd, write_fd, log_fd), request, plan, names)
        child.serve(read_fd, write_fd, hello={"layers": layers})
    except BaseException:
        code = 70
        with contextlib.suppress(BaseException):
            traceback.print_exc(file=os.fdopen(2, "w", encoding="utf-8", closefd=False))
    finally:
        os._exit(code)


def _finish(pid: int, live: set[int], names: tuple[str, ...]) -> str:
    """Kill the worker's tree and every orphan, then reap; the worker's end in words."""
    if pid not in live:
        return "ended"
    live.discard(pid)
    me = os.getpid()
    if me == 1 and "pid" in names and not live:
        # As the PID namespace's init, kill(-1) reaches every other process in it at once,
        # whatever it did to leave the worker's tree: no need to look for them in /proc.
        with contextlib.suppress(ProcessLookupError):  # ESRCH: nothing else was left
            os.kill(-1, signal.SIGKILL)
        status = forking.reap(pid)
        _reap_all()
    else:
        forking.kill_tree(pid)
        status = forking.reap(pid)
        for _ in range(3):  # orphans re-parented to us (we are init or a subreaper)
            orphans = [p for p, ppid, _ in forking.process_table() if ppid == me and p not in live]
            for orphan in orphans:
                forking.kill_tree(orphan)
                forking.reap(orphan)
            if not orphans:
                break
    return status


def _reap_all() -> None:
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return
        except InterruptedError:
            continue


def _send(sock: socket.socket, message: dict[str, Any]) -> None:
    sock.send(json.dumps(message).encode())


def _scrub(keep: int) -> None:
    """Leave the zygote nothing a worker should not read: no environment, no command line,
    no grader modules beyond the worker's own, no inherited files."""
    import posix

    items = list(posix.environ.items())
    os.environ.clear()
    for pair in items:
        for value in pair:
            _wipe(value)
    del items
    _wipe_initial_blocks()
    sys.argv[:] = ["descent-zygote"]
    sys.orig_argv[:] = ["descent-zygote"]
    for name in [n for n in sys.modules if n == "tests" or n.startswith(("tests.", "tui"))
                 or (n.startswith("grader.") and not n.startswith(_KEEP_MODULES))]:
        del sys.modules[name]
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.closerange(3, keep)
    os.closerange(keep + 1, 1 << 16)


def _wipe(value: bytes) -> None:
    # Freed memory keeps its bytes: zero environment values in place before they are
    # dropped (only where nothing else holds them, and never the shared 0/1-byte objects).
    if type(value) is bytes and len(value) > 1 and sys.getrefcount(value) <= 4:
        ctypes.memset(id(value) + bytes.__basicsize__ - 1, 0, len(value))


def _wipe_initial_blocks() -> None:
    """Zero the command line and environment the kernel placed on the stack at exec."""
    try:
        with open("/proc/self/stat", "rb") as handle:
            stat = handle.read().decode()
        fields = stat[stat.rfind(")") + 2 :].split()
        arg_start, arg_end, env_start, env_end = (int(f) for f in fields[45:49])
    except (OSError, ValueError):
        return
    for start, end in ((arg_start, arg_end), (env_start, env_end)):
        if 0 < start < end:
            ctypes.memset(start, 0, end - start)
