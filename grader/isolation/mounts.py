"""Namespaces and the private file-system tree: built once in the zygote, refreshed per worker."""

from __future__ import annotations

import os

from grader.isolation import kernel
from grader.isolation.kernel import (
    MS_BIND,
    MS_NODEV,
    MS_NOSUID,
    MS_PRIVATE,
    MS_RDONLY,
    MS_REC,
    MS_REMOUNT,
)
from grader.isolation.plan import Plan

__all__ = ["SCRATCH", "build_root", "enter_namespaces", "namespace_names", "private_scratch"]

_MS_NOEXEC = 8
# statvfs flags that a less privileged mount namespace may not clear, and their mount flags.
_LOCKED = {2: MS_NOSUID, 4: MS_NODEV, 8: _MS_NOEXEC, 1024: 1024, 2048: 2048, 4096: 1 << 21}
# A worker's writable scratch folder, inside the private root.
SCRATCH = "/scratch"
# Where the new root is assembled: inside the zygote's own mount namespace, so nothing on the
# machine changes; the first of these that holds none of the paths to bind.
_STAGES = ("/mnt", "/media", "/srv", "/opt", "/run", "/tmp")


def namespace_names(user: bool) -> tuple[str, ...]:
    """The namespaces `enter_namespaces(user=…)` creates, by name."""
    return (("user",) if user else ()) + ("pid", "mount", "net", "ipc")


def enter_namespaces(user: bool) -> None:
    """unshare user (unless root), PID, mount, network, IPC and UTS namespaces.

    The caller must be single-threaded; its next child becomes PID 1 of the new PID namespace.
    A user namespace maps only the caller's own uid and gid, so nothing is gained by it.
    """
    uid, gid = os.getuid(), os.getgid()
    flags = (kernel.CLONE_NEWNS | kernel.CLONE_NEWPID | kernel.CLONE_NEWNET
             | kernel.CLONE_NEWIPC | kernel.CLONE_NEWUTS)
    kernel.unshare(flags | (kernel.CLONE_NEWUSER if user else 0))
    if user:
        # While undumpable (the grader is), /proc/self/*_map belong to root: writable again
        # only for this moment.
        kernel.prctl(kernel.PR_SET_DUMPABLE, 1)
        try:
            _write("/proc/self/setgroups", "deny")
            _write("/proc/self/uid_map", f"{uid} {uid} 1")
            _write("/proc/self/gid_map", f"{gid} {gid} 1")
        finally:
            kernel.prctl(kernel.PR_SET_DUMPABLE, 0)


def build_root(plan: Plan) -> None:
    """Become the root of a tmpfs holding read-only binds of `plan`, devices, /proc and /sys.

    Runs as PID 1 of the new PID namespace (its /proc shows the sandbox's processes only).
    """
    kernel.mount(None, "/", None, MS_REC | MS_PRIVATE)
    stage = next((s for s in _STAGES if os.path.isdir(s) and not _holds_any(s, plan)), None)
    if stage is None:
        raise OSError(2, "no folder to assemble the private root in")
    kernel.mount("tmpfs", stage, "tmpfs", MS_NOSUID | MS_NODEV, "size=4m,nr_inodes=4096,mode=0755")
    for path in plan.binds:
        _bind(path, stage + path, device=False)
    for path, target in plan.links:
        _link(stage + path, target)
    for path in plan.hidden:
        kernel.mount("tmpfs", stage + path, "tmpfs", MS_NOSUID | MS_NODEV | MS_RDONLY,
                     "size=4k,mode=0755")
    _devices(stage, plan)
    os.mkdir(stage + "/proc")
    kernel.mount("proc", stage + "/proc", "proc", MS_NOSUID | MS_NODEV | _MS_NOEXEC)
    if os.path.isdir("/sys"):
        _bind("/sys", stage + "/sys", device=False)
    os.makedirs(stage + "/tmp", exist_ok=True)
    os.makedirs(stage + SCRATCH, exist_ok=True)
    os.chdir(stage)
    kernel.pivot_root(".", ".")  # the old root ends up stacked on the new one…
    kernel.umount(".")  # …and is detached here: nothing of it remains reachable
    os.chdir("/")
    kernel.mount(None, "/", None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)


def private_scratch(uid: int, gid: int, size: int, plan: Plan) -> str:
    """In a worker: its own mount and IPC namespaces, an empty tmpfs scratch and /dev/shm.

    The scratch lives at its own path: a /tmp tmpfs would hide libraries bound from below
    /tmp (a course cloned there, its venv included), so /tmp gets one only when nothing is.
    """
    kernel.unshare(kernel.CLONE_NEWNS | kernel.CLONE_NEWIPC)
    owner = f"uid={uid},gid={gid},mode=0700"
    mounted = [SCRATCH] if _holds_any("/tmp", plan) else [SCRATCH, "/tmp"]
    for target in mounted:
        kernel.mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV,
                     f"size={size},nr_inodes=4096,{owner}")
    kernel.mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | _MS_NOEXEC,
                 f"size=16m,nr_inodes=256,{owner}")
    return SCRATCH


def _devices(stage: str, plan: Plan) -> None:
    dev = stage + "/dev"
    os.mkdir(dev)
    kernel.mount("tmpfs", dev, "tmpfs", MS_NOSUID | _MS_NOEXEC, "size=64k,mode=0755")
    for path in plan.devices:
        _bind(path, stage + path, device=True)
    os.mkdir(dev + "/shm")
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
                         ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")):
        os.symlink(target, f"{dev}/{name}")
    kernel.mount(None, dev, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | _MS_NOEXEC)


def _bind(source: str, target: str, *, device: bool) -> None:
    if os.path.isdir(source):
        os.makedirs(target, exist_ok=True)
    elif not os.path.exists(target):
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT, 0o644))
    # Recursive: a user namespace refuses a bind that would leave mounts below it behind
    # (it could uncover what they hide). Only the top mount is made read-only; file
    # permissions and Landlock cover the few below (/sys/fs/cgroup).
    kernel.mount(source, target, None, MS_BIND | MS_REC)
    flags = MS_REMOUNT | MS_BIND | MS_NOSUID | (0 if device else MS_RDONLY | MS_NODEV)
    locked = os.statvfs(target).f_flag
    for bit, flag in _LOCKED.items():
        if locked & bit:
            flags |= flag
    kernel.mount(None, target, None, flags)


def _link(path: str, target: str) -> None:
    if os.path.lexists(path):
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    os.symlink(target, path)


def _holds_any(stage: str, plan: Plan) -> bool:
    prefix = stage.rstrip("/") + "/"
    return any(p == stage or p.startswith(prefix) for p in (*plan.binds, *plan.devices))


def _write(path: str, text: str) -> None:
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)
