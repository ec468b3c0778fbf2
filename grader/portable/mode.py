"""Which runner student code gets here: the Linux layers where they can work, else portable."""

from __future__ import annotations

import functools
import os
import socket

__all__ = ["forced", "linux_missing", "use_portable"]


def forced() -> bool:
    """`DESCENT_ISOLATION=portable`: the portable runner even where the Linux layers work."""
    return os.environ.get("DESCENT_ISOLATION", "").strip().lower() == "portable"


@functools.cache
def linux_missing() -> str | None:
    """Why the Linux layers (fork, a zygote over SCM_RIGHTS, /proc, prctl) cannot work here;
    None where they can. Decided by what the system offers, not by its name."""
    absent = [f"os.{name}" for name in ("fork", "register_at_fork", "setsid", "killpg")
              if not hasattr(os, name)]
    absent += [f"socket.{name}" for name in ("AF_UNIX", "SCM_RIGHTS")
               if not hasattr(socket, name)]
    if absent:
        return f"no {', '.join(absent)}"
    try:
        with open("/proc/self/stat", "rb") as handle:
            handle.read(1)
    except OSError:
        return "no /proc"
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl  # noqa: B018 - present or AttributeError
    except (OSError, AttributeError, TypeError):
        return "no prctl"
    return None


def use_portable() -> bool:
    """Whether student code (and the symbolic judge) runs in spawned children here."""
    return forced() or linux_missing() is not None
