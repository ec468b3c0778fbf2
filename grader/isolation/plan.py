"""What a worker may see: the Python installation and system libraries, read-only; nothing else."""

from __future__ import annotations

import dataclasses
import glob
import os
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["SANDBOX_GID", "SANDBOX_UID", "Plan", "make_plan"]

# Root drops to this otherwise unused id, so a worker owns nothing on the machine and
# RLIMIT_NPROC counts the sandbox's processes alone.
SANDBOX_UID = SANDBOX_GID = 65533

_SYSTEM = ("/usr", "/lib", "/lib64", "/lib32", "/libx32", "/bin", "/sbin")
# Enough of /etc for the dynamic loader, time zones and user names; no secrets live here.
_ETC = ("passwd", "group", "nsswitch.conf", "hosts", "localtime", "ld.so.cache", "ld.so.conf",
        "ld.so.conf.d", "mime.types")
_DEVICES = ("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom")
_LIBRARY_DIRS = ("site-packages", "dist-packages")


@dataclass(frozen=True)
class Plan:
    """Paths a worker may read (bound read-only at the same place), links and devices."""

    binds: tuple[str, ...]
    links: tuple[tuple[str, str], ...]  # (path, target) symbolic links to recreate
    devices: tuple[str, ...]
    hidden: tuple[str, ...]  # folders inside a bind covered by an empty tmpfs (the grader)
    uid: int
    gid: int

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Plan:
        return cls(binds=tuple(data["binds"]), links=tuple(map(tuple, data["links"])),
                   devices=tuple(data["devices"]), hidden=tuple(data["hidden"]),
                   uid=int(data["uid"]), gid=int(data["gid"]))

    def readable(self) -> tuple[str, ...]:
        """Everything a worker may read, for a Landlock ruleset when there is no mount tree."""
        return (*self.binds, "/proc", "/sys")


def make_plan() -> Plan:
    """The plan for this interpreter: computed in the grader, before any fork."""
    grader_dir = Path(__file__).resolve().parent.parent
    project = grader_dir.parent
    binds: list[str] = []
    links: list[tuple[str, str]] = []
    for path in _SYSTEM:
        if os.path.islink(path):
            links.append((path, os.readlink(path)))
        elif os.path.isdir(path):
            binds.append(path)
    for name in _ETC:
        path = f"/etc/{name}"
        if os.path.islink(path):
            links.append((path, os.readlink(path)))
            binds.append(os.path.realpath(path))
        elif os.path.exists(path):
            binds.append(path)
    for entry in _python_paths():
        real = os.path.realpath(entry)
        if not os.path.exists(real) or _is_private(Path(real), grader_dir, project):
            continue
        binds.append(real)
        if os.path.abspath(entry) != real:
            binds.append(os.path.abspath(entry))  # the same files under the name sys.path uses
    binds = _without_covered(binds)
    hidden = tuple(str(d) for d in (grader_dir, project / "tui")
                   if d.is_dir() and any(_inside(d, Path(b)) for b in binds))
    devices = [d for d in _DEVICES if os.path.exists(d)]
    # The GPU, when there is one: CUDA opens these in the worker.
    devices += sorted(d for d in glob.glob("/dev/nvidia*") if not os.path.isdir(d))
    root = os.geteuid() == 0
    return Plan(
        binds=tuple(binds),
        links=tuple(links),
        devices=tuple(devices),
        hidden=hidden,
        uid=SANDBOX_UID if root else os.getuid(),
        gid=SANDBOX_GID if root else os.getgid(),
    )


def _python_paths() -> list[str]:
    """The interpreter's libraries; not a script's folder or the current one, which
    sys.path also lists (they may hold anything: a course, submissions, /tmp)."""
    prefixes = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    paths = [p for p in sys.path if p and os.path.isabs(p) and _is_library(p, prefixes)]
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        paths.append(sysconfig.get_path(key))
    paths.append(os.path.dirname(os.__file__))
    return paths


def _is_library(path: str, prefixes: set[str]) -> bool:
    real = Path(os.path.realpath(path))
    if any(part in _LIBRARY_DIRS for part in real.parts) or real.suffix == ".zip":
        return True
    return any(_inside(real, Path(prefix)) for prefix in prefixes if prefix != "/")


def _is_private(path: Path, grader_dir: Path, project: Path) -> bool:
    """The grader's source, the project checkout (solutions, course) or a parent of them."""
    if _inside(grader_dir, path) or _inside(path, grader_dir):
        return True
    return _inside(path, project) and not any(part in _LIBRARY_DIRS for part in path.parts)


def _inside(path: Path, parent: Path) -> bool:
    return path == parent or parent in path.parents


def _without_covered(paths: list[str]) -> list[str]:
    """Drop paths another bind already shows (same file system beneath a bound folder)."""
    kept: list[str] = []
    for path in sorted(set(paths), key=lambda p: (p.count("/"), p)):
        device = os.stat(path).st_dev
        covered = any(
            _inside(Path(path), Path(parent)) and os.stat(parent).st_dev == device
            and os.path.isdir(parent) for parent in kept
        )
        if not covered:
            kept.append(path)
    return kept
