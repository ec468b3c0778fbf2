"""How student code is isolated on this machine: detect the mode and start confined workers.

The strongest mode that works is used: namespaces (user when not root, PID, mount, network,
IPC) around a private read-only root, an unprivileged uid or no capabilities, Landlock,
seccomp and rlimits; where the kernel refuses a layer the others still apply. Where the
Linux layers cannot work at all (no fork, /proc or prctl: Windows, macOS), student code runs
in the portable runner (`grader.portable`): spawned children, deadlines and tree kills, not
confined. Set `DESCENT_ISOLATION` to `landlock` or `rlimits` to cap the mode, or to
`portable` to force the portable runner (for tests and comparisons). Nothing Linux-only
runs on import.
"""

from __future__ import annotations

import contextlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader import forking, nursery
from grader.i18n import _
from grader.portable import runner
from grader.portable.mode import linux_missing, use_portable

if TYPE_CHECKING:
    from grader.isolation.plan import Plan
    from grader.isolation.zygote import ZygoteClient

__all__ = ["LEVELS", "IsolationMode", "confinement_warning", "detect", "level", "prestart",
           "record_layers", "shutdown", "start_worker", "zygote_pids"]

LEVELS = ("namespaces", "landlock", "rlimits", "portable")
_ORDER = ("unprivileged uid", "no capabilities", "landlock", "seccomp")


@dataclass(frozen=True)
class IsolationMode:
    """The layers around student code, as applied on this machine."""

    namespaces: tuple[str, ...]
    layers: tuple[str, ...]
    notes: tuple[str, ...] = ()
    portable: bool = False

    @property
    def name(self) -> str:
        """E.g. "namespaces (pid+mount+net+ipc) + unprivileged uid + seccomp + rlimits", or
        "portable (spawn + deadlines + tree kill + rlimits)"."""
        if self.portable:
            return f"portable ({' + '.join(['spawn', 'deadlines', 'tree kill', *self.layers])})"
        parts = [f"namespaces ({'+'.join(self.namespaces)})"] if self.namespaces else []
        parts += [layer for layer in _ORDER if layer in self.layers]
        return " + ".join([*parts, "rlimits"]) if parts else "rlimits only"


def level() -> str:
    """The strongest level allowed here: `DESCENT_ISOLATION` (`portable` where the Linux
    layers cannot work), or `namespaces` by default."""
    if use_portable():
        return "portable"
    wanted = os.environ.get("DESCENT_ISOLATION", "namespaces").strip().lower()
    return wanted if wanted in LEVELS else "namespaces"


def confinement_warning() -> str | None:
    """For batch grading: a warning when student code here is not confined, else None."""
    if level() != "portable":
        return None
    return _("Student code is not confined on this system (portable mode: deadlines and "
             "process-tree kills only); a submission can read and change your files. Grade "
             "the class on Linux for a trustworthy result.")


def prestart() -> None:
    """Start what the first worker needs (the nursery, or the portable standby) now, so that
    its imports overlap the grader's own."""
    if level() == "portable":
        runner.prestart()
    else:
        nursery.start()


def detect() -> IsolationMode:
    """The mode in force for workers started now (starts a probe worker the first time)."""
    state = _state()
    if state.layers is None:
        scratch = Path(_mkdtemp())
        flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0)
        log = os.open(scratch / runner.LOG_NAME, flags, 0o600)
        try:
            child = start_worker({"memory_bytes": 1 << 30, "output_bytes": 1 << 20,
                                  "cpu_seconds": 10}, scratch, log)
            try:
                hello = child.receive(30.0)
            finally:
                child.kill()
            record_layers(hello.get("layers", []) if isinstance(hello, dict) else [])
        finally:
            os.close(log)
            _rmtree(scratch)
    namespaces = state.client.namespaces if state.client is not None else ()
    return IsolationMode(namespaces, tuple(state.layers or ()), state.notes,
                         portable=state.client is None)


def start_worker(limits: dict[str, int], scratch: Path, log_fd: int) -> forking.Child:
    """A confined worker serving requests (see grader.child) on fresh pipes.

    `scratch` is a folder of the grader's; without a mount namespace the worker works in
    its `work/` subfolder, which is all it may write. Output goes to `log_fd`, the
    grader's descriptor on `scratch/output.log` (a portable worker opens that file itself).
    """
    state = _state()
    if state.client is None or state.plan is None:
        return runner.start_worker(limits, scratch, log_fd)
    work = scratch / "work"
    work.mkdir(exist_ok=True)
    if os.geteuid() == 0:
        os.chown(work, state.plan.uid, state.plan.gid)
    request_r, request_w = os.pipe()
    reply_r, reply_w = os.pipe()
    request: dict[str, Any] = {
        "limits": limits,
        "scratch": str(work),
        "landlock": state.level in ("namespaces", "landlock"),
        "seccomp": state.level in ("namespaces", "landlock"),
        "processes": state.processes,
    }
    try:
        pid = state.client.spawn(request, (request_r, reply_w, log_fd))
    except OSError:
        for fd in (request_w, reply_r):
            os.close(fd)
        raise
    finally:
        os.close(request_r)
        os.close(reply_w)
    return forking.Child(pid=pid, to_child=request_w, from_child=reply_r,
                         ender=state.client.finish)


def shutdown() -> None:
    """Stop every zygote (and its workers); the next worker starts a fresh one."""
    with _lock:
        for state in _states.values():
            if state.client is not None:
                state.client.close()
        _states.clear()
    runner.shutdown()


def zygote_pids() -> set[int]:
    """Host pids of this grader's zygotes and of the nursery they are forked from, or of the
    portable standby and judges: not a submission's, and alive as long as the grader is."""
    pids = runner.helper_pids()
    if (nursery_pid := nursery.nursery_pid()) is not None:
        pids.add(nursery_pid)
    for state in list(_states.values()):
        if state.client is not None and state.client.alive:
            pids.add(state.client.pid)
            # With a PID namespace the zygote proper is the first process's only child.
            pids.update(pid for pid, ppid, _ in forking.process_table()
                        if ppid == state.client.pid)
    return pids


def record_layers(layers: list[Any]) -> None:
    """Note the layers a worker reported it applied (they are the same for every worker)."""
    state = _state()
    state.layers = tuple(str(layer)[:40] for layer in layers[:8])


@dataclass
class _State:
    level: str
    plan: Plan | None
    client: ZygoteClient | None  # None: the portable runner
    notes: tuple[str, ...]
    processes: int
    layers: tuple[str, ...] | None = None


_states: dict[str, _State] = {}
_lock = threading.Lock()


def _forget_after_fork() -> None:
    # A forked grader (batch pool workers) must not share its parent's zygote socket: it
    # drops its copy, leaves the parent's zygote alone and starts its own when needed.
    global _lock
    for state in _states.values():
        if state.client is not None:
            state.client.disown()
    _states.clear()
    runner.disown()
    _lock = threading.Lock()


if hasattr(os, "register_at_fork"):  # absent where there is no fork (Windows)
    os.register_at_fork(after_in_child=_forget_after_fork)


def _state() -> _State:
    wanted = level()
    with _lock:
        state = _states.get(wanted)
        if state is not None and (state.client is None or state.client.alive):
            return state
        state = _start(wanted)
        _states[wanted] = state
        return state


def _protect_grader() -> None:
    """The grader's memory and environment become unreadable through /proc/<pid>/ for code
    that runs as the same user (ptrace rules refuse undumpable processes); forks inherit it."""
    if linux_missing() is not None:
        return
    from grader.isolation import kernel

    with contextlib.suppress(OSError):
        kernel.prctl(kernel.PR_SET_DUMPABLE, 0)


# At import: every process of the grader (CLI, batch workers, tutor service) imports this
# before any student code runs, including those that never start a worker themselves.
_protect_grader()


def _start(wanted: str) -> _State:
    if wanted == "portable":
        why = linux_missing()
        note = f"Linux layers unavailable ({why})" if why else "forced by DESCENT_ISOLATION"
        return _State(wanted, None, None, (note,), 0)
    from grader.isolation.plan import make_plan
    from grader.isolation.zygote import ZygoteClient

    _protect_grader()
    forking.become_subreaper()
    plan = make_plan()
    notes: list[str] = []
    try:
        if wanted == "namespaces":
            try:
                client = ZygoteClient(plan, namespaces=True)
            except OSError as exc:
                notes.append(str(exc))
                client = ZygoteClient(plan, namespaces=False)
            notes += client.notes
        else:
            client = ZygoteClient(plan, namespaces=False)
            notes.append(f"capped at {wanted} by DESCENT_ISOLATION")
    except OSError as exc:  # no zygote at all: the portable runner still works
        return _State("portable", None, None, (*notes, f"no zygote ({exc})"), 0)
    # RLIMIT_NPROC counts every task of the real uid; without a user namespace or a uid of
    # its own the worker shares the grader's count, so the limit starts from it.
    shares_uid = os.geteuid() != 0 and "user" not in client.namespaces
    processes = _tasks_of(os.getuid()) if shares_uid else 0
    return _State(wanted, plan, client, tuple(notes), processes)


def _tasks_of(uid: int) -> int:
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", encoding="ascii", errors="replace") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
        except (OSError, ValueError):
            continue
        if int(fields.get("Uid", "-1").split()[0]) == uid:
            total += int(fields.get("Threads", "1").strip())
    return total


def _mkdtemp() -> str:
    import tempfile

    return tempfile.mkdtemp(prefix="descent-")


def _rmtree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
