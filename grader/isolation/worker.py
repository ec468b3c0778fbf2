"""A worker confines itself before any student code runs: files, limits, privileges, filters."""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import sys
from typing import Any

from grader.isolation import filters, kernel, mounts
from grader.isolation.plan import Plan

__all__ = ["confine", "prepare"]

_SCRATCH_BYTES = 64 * 1024**2
_OPEN_FILES = 256
_EXTRA_PROCESSES = 64

# The zygote's data segment, measured once by `prepare`: a worker starts as its copy.
_base_data_bytes = 0


def prepare() -> None:
    """In the zygote, once, before it forks: what every worker would otherwise redo.

    Signal dispositions and the standard stream objects are inherited by each fork (~0.8 ms
    of every worker's start); a worker then only points descriptors 0-2 at its own files.
    """
    global _base_data_bytes
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE, signal.SIGCHLD):
        signal.signal(signum, signal.SIG_DFL)
    # A write past RLIMIT_FSIZE fails with an OSError in the student's call instead of
    # killing the worker with SIGXFSZ.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115 - lives as long as the process
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False, buffering=1)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False, buffering=1)  # noqa: SIM115
    _base_data_bytes = _data_segment_bytes()


def confine(fds: tuple[int, int, int], request: dict[str, Any], plan: Plan | None,
            namespaces: tuple[str, ...]) -> list[str]:
    """Apply every layer this machine supports; return their names for the results.

    `fds` are the request pipe, the reply pipe and the output log; every other descriptor
    is closed. Order matters: mounts need privileges, which go before the filters that
    would refuse the calls made here.
    """
    read_fd, write_fd, log_fd = fds
    kernel.prctl(kernel.PR_SET_PDEATHSIG, signal.SIGKILL)
    os.setsid()
    _standard_streams(log_fd)
    _close_all_but(read_fd, write_fd)
    limits = request["limits"]
    if "mount" in namespaces and plan is not None:
        home = mounts.private_scratch(plan.uid, plan.gid, _SCRATCH_BYTES, plan)
    else:
        home = request["scratch"]
    os.chdir(home)
    os.environ.clear()
    os.environ.update({"HOME": home, "TMPDIR": home, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    _rlimits(limits, request.get("processes", 0))
    layers: list[str] = []
    kernel.prctl(kernel.PR_SET_NO_NEW_PRIVS, 1)
    if plan is not None and request.get("landlock"):
        write = [home, "/dev/shm"] if "mount" in namespaces else [home]
        if filters.restrict_paths(plan.readable(), write, plan.devices):
            layers.append("landlock")
    filtered = bool(request.get("seccomp")) and filters.install_seccomp()
    # Reading the libraries may need a way through folders closed to other users (Python
    # under /root): granted only where Landlock and seccomp confine what it can reach.
    read_anything = "landlock" in layers and filtered and "mount" not in namespaces
    layers += _drop_privileges(plan, namespaces, keep_reading=read_anything)
    if filtered:
        layers.append("seccomp")
    sys.argv = ["descent-worker"]
    return layers


def _standard_streams(log_fd: int) -> None:
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(log_fd, 1)
    os.dup2(log_fd, 2)
    for fd in {devnull, log_fd} - {0, 1, 2}:
        os.close(fd)


def _close_all_but(*keep: int) -> None:
    """Close every inherited descriptor but 0-2 and `keep` (the grader's files stay its own)."""
    low = 3
    for fd in sorted(k for k in keep if k >= 3):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, resource.getrlimit(resource.RLIMIT_NOFILE)[0])


def _rlimits(limits: dict[str, int], processes: int) -> None:
    _limit(resource.RLIMIT_DATA, _base_data_bytes + limits["memory_bytes"])
    _limit(resource.RLIMIT_FSIZE, limits["output_bytes"])
    _limit(resource.RLIMIT_CORE, 0)
    _limit(resource.RLIMIT_CPU, limits["cpu_seconds"])
    _limit(resource.RLIMIT_NOFILE, _OPEN_FILES)
    # Counted per real uid (ignored for root, which drops its uid below): a fork bomb stops
    # after a few dozen processes.
    _limit(resource.RLIMIT_NPROC, processes + _EXTRA_PROCESSES)


def _drop_privileges(plan: Plan | None, namespaces: tuple[str, ...], *,
                     keep_reading: bool) -> list[str]:
    if os.geteuid() == 0:
        uid, gid = (plan.uid, plan.gid) if plan is not None else (65533, 65533)
        keep = keep_reading and plan is not None and not all(map(_open_to_all, plan.binds))
        if keep:
            kernel.prctl(kernel.PR_SET_KEEPCAPS, 1)
        os.setgroups([])
        os.setresgid(gid, gid, gid)
        os.setresuid(uid, uid, uid)
        if keep:
            # CAP_DAC_READ_SEARCH alone: Landlock still limits reads to the libraries, and
            # seccomp refuses open_by_handle_at, the one call that would go around it.
            kernel.drop_capabilities(keep=1 << kernel.CAP_DAC_READ_SEARCH)
            kernel.prctl(kernel.PR_SET_KEEPCAPS, 0)
        return ["unprivileged uid"]
    if "user" in namespaces:
        kernel.drop_capabilities()
        return ["no capabilities"]
    return []


def _open_to_all(path: str) -> bool:
    """Whether any user may reach `path`: every folder above it searchable by others."""
    parent = os.path.dirname(path)
    while parent not in ("/", ""):
        try:
            if not os.stat(parent).st_mode & 0o001:
                return False
        except OSError:
            return False
        parent = os.path.dirname(parent)
    return True


def _limit(which: int, value: int) -> None:
    _, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(which, (value, hard))


def _data_segment_bytes() -> int:
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0
