"""The nursery: a fresh process (exec'd, not forked) that every zygote is forked from.

It imports what a worker needs (numpy, SymPy, torch and the sandbox's own modules) and
never the course, the engine or a run's data. A zygote forked from the grader would carry
all of those, and student code can find any inherited object (`gc.get_objects()`): the
course's truths, i.e. the answers. Requests arrive on one socket, a datagram each with
the zygote's end of a socket pair; nothing is sent back, so every forked copy of the
grader (the batch workers) can share the socket. This module is the grader's side;
`grader.nursery_process` is the nursery's.
"""

from __future__ import annotations

import array
import json
import socket
import subprocess
import threading
from typing import Any

from grader import forking
from grader.portable.boot import child_environment, python_command

__all__ = ["nursery_pid", "request_zygote", "start"]

_lock = threading.Lock()
_control: socket.socket | None = None
_pid: int | None = None


def start() -> None:
    """Start the nursery now (it imports for ~2 s, best overlapped with the grader's own
    imports); later calls, and calls in forked copies of the grader, reuse it."""
    global _control, _pid
    with _lock:
        if _control is not None:
            return
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        # Only what importing the libraries needs (no token ever reaches the process whose
        # memory every worker inherits), and never a module from the folder the grader runs
        # in: a student's `numpy.py` would run unsandboxed, and every worker would inherit it.
        process = subprocess.Popen(
            python_command("grader.nursery_process:run", str(theirs.fileno())),
            pass_fds=(theirs.fileno(),), env=child_environment(), cwd="/",
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        theirs.close()
        forking.register_child(process.pid)  # ours for good: not an orphan to sweep up
        _control, _pid = ours, process.pid


def nursery_pid() -> int | None:
    return _pid


def request_zygote(zygote_end: int, plan: dict[str, Any], namespaces: bool) -> None:
    """Ask for a zygote serving the socket `zygote_end` (the caller then closes its copy)."""
    global _control
    message = json.dumps({"plan": plan, "namespaces": namespaces}).encode()
    ancillary = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [zygote_end]))]
    for attempt in (1, 2):
        start()
        assert _control is not None
        try:
            _control.sendmsg([message], ancillary)
            return
        except OSError:
            if attempt == 2:
                raise
            with _lock:  # the nursery is gone: the next start() runs a new one
                _control.close()
                _control = None
