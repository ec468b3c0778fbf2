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
import os
import socket
import subprocess
import sys
import threading
from typing import Any

from grader import forking
from grader.import_path import grader_folder, trusted

__all__ = ["nursery_pid", "request_zygote", "start"]

_PASSED_ON = ("PATH", "LANG", "LC_ALL", "LD_LIBRARY_PATH", "CUDA_VISIBLE_DEVICES",
              "PYTORCH_NVML_BASED_CUDA_CHECK")
# Run by `python -I` (no current folder, script folder or PYTHON* variables on the path): the
# path is the grader's own minus its current folder, and the grader package is loaded from
# its folder by location, so nothing beside it (a course checkout's other files) is importable.
_BOOT = """\
import importlib.util, json, sys
sys.path[:] = json.loads(sys.argv[3])
spec = importlib.util.spec_from_file_location(
    "grader", sys.argv[2] + "/__init__.py", submodule_search_locations=[sys.argv[2]])
sys.modules["grader"] = package = importlib.util.module_from_spec(spec)
spec.loader.exec_module(package)
import grader.nursery_process
grader.nursery_process.serve(int(sys.argv[1]))
"""
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
        # Only what importing the libraries needs: none of the grader's other variables
        # (tokens, keys) ever reach the process whose memory every worker inherits.
        env = {key: os.environ[key] for key in _PASSED_ON if key in os.environ}
        # Never from the folder the grader runs in (a student's clone, a CI checkout): its
        # `numpy.py` would run unsandboxed, and every worker would inherit what it did.
        path = json.dumps(trusted(sys.path, os.getcwd()))
        process = subprocess.Popen(
            [sys.executable, "-I", "-c", _BOOT, str(theirs.fileno()), grader_folder(), path],
            pass_fds=(theirs.fileno(),), env=env, cwd="/", stdin=subprocess.DEVNULL,
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
