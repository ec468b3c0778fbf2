"""Inside a spawned child: the portable worker (runs student code) and the judge (SymPy only)."""

from __future__ import annotations

import base64
import contextlib
import gc
import os
import pickle
import signal
import sys
import tempfile
import threading
import time
from typing import Any

from grader import collector_paused
from grader.forking import read_in_child, send_from_child

__all__ = ["judge", "worker"]

_PARENT_POLL_SECONDS = 0.5
_KEPT = ("PATH", "SYSTEMROOT", "WINDIR")


def worker(parent: str) -> None:
    """Warm up, wait to be taken (the attach message), then serve grader.child's requests."""
    requests, replies = _own_pipes(int(parent))
    with collector_paused():
        import grader.child
        import grader.symbolic.tree  # the wire encoder imports it on first use
        from grader.nursery_process import import_what_sympy_loads_on_first_use
        from grader.sandbox import warm_up

        warm_up()
        import_what_sympy_loads_on_first_use()
        grader.child.install_tripwires()
    gc.freeze()
    send_from_child(replies, {"warm": True})
    attach = read_in_child(requests)
    if not isinstance(attach, dict):
        return
    layers = _attach(attach)
    grader.child.serve(requests, replies, hello={"layers": layers})


def judge(parent: str) -> None:
    """Warm up SymPy, then run the trusted calls the grader sends (never student code).

    Requests come from the grader alone, on this process's private pipe: a pickled
    (function, arguments) pair of the grader's own objects; replies are JSON.
    """
    requests, replies = _own_pipes(int(parent))
    with collector_paused():
        import grader.symbolic.compare  # noqa: F401 - SymPy and the stages, once
    send_from_child(replies, {"warm": True})
    while (request := read_in_child(requests)) is not None:
        try:
            function, args = pickle.loads(base64.b64decode(request["call"]))
            reply: dict[str, Any] = {"ok": function(*args)}
        except Exception as exc:  # reported to the grader as data
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        send_from_child(replies, reply)


def _own_pipes(parent: int) -> tuple[int, int]:
    """The request and reply pipes (stdin and stdout at start) moved off descriptors 0 and 1,
    which then lead nowhere; and a watch that ends this process when the grader is gone."""
    requests, replies = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.close(devnull)
    _watch_parent(parent)
    return requests, replies


def _watch_parent(pid: int) -> None:
    # No parent-death signal off Linux: a killed grader must not leave a child running on
    # (a student's endless loop would never read the closed pipe).
    import psutil

    try:
        parent = psutil.Process(pid)
    except psutil.Error:
        os._exit(70)

    def watch() -> None:
        while parent.is_running():
            time.sleep(_PARENT_POLL_SECONDS)
        os._exit(70)

    threading.Thread(target=watch, name="descent-parent-watch", daemon=True).start()


def _attach(request: dict[str, Any]) -> list[str]:
    """Become the submission's worker: its output log, its scratch folder, a bare
    environment and what resource limits this system offers; their names for the results."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0)
    log = os.open(request["log"], flags, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    home = str(request["scratch"])
    os.chdir(home)
    kept = {key: os.environ[key] for key in _KEPT if key in os.environ}
    os.environ.clear()
    os.environ.update({**kept, "HOME": home, "USERPROFILE": home, "TMPDIR": home,
                       "TEMP": home, "TMP": home, "LANG": "C.UTF-8"})
    tempfile.tempdir = None  # found again from the variables above
    sys.argv = ["descent-worker"]
    return _rlimits(request["limits"])


def _rlimits(limits: dict[str, int]) -> list[str]:
    """CPU time, file size, core dumps and memory where `resource` exists (not on Windows,
    where the grader watches memory and output from outside)."""
    try:
        import resource
    except ImportError:
        return []
    import psutil

    if hasattr(signal, "SIGXFSZ"):
        # A write past RLIMIT_FSIZE fails with an OSError instead of killing the worker.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    data = getattr(psutil.Process().memory_info(), "data", 0)  # Linux only (VmData)
    wanted = [(resource.RLIMIT_CPU, limits["cpu_seconds"]),
              (resource.RLIMIT_FSIZE, limits["output_bytes"]), (resource.RLIMIT_CORE, 0)]
    if data:
        wanted.append((resource.RLIMIT_DATA, data + limits["memory_bytes"]))
    for which, value in wanted:
        _, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(which, (value, hard))
    return ["rlimits"]
