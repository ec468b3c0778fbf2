"""The nursery process itself: it imports the libraries once, then forks a zygote per request."""

from __future__ import annotations

import json
import os
import signal
import socket
from typing import TYPE_CHECKING

from grader import forking

if TYPE_CHECKING:
    from grader.isolation.plan import Plan

__all__ = ["import_what_sympy_loads_on_first_use", "run", "serve"]

_MAX_REQUEST = 64 * 1024


def run(control_fd: str) -> None:
    """The nursery's entry, as `grader.nursery.start` runs it: serve on `control_fd`."""
    serve(int(control_fd))


def serve(control_fd: int) -> None:
    """Import the libraries once, then fork a zygote for each well-formed request."""
    # No parent-death signal: it fires when the *thread* that started us ends. The nursery
    # ends when every copy of the grader has closed the socket, killed or not.
    # Zygotes are reaped by the kernel; each sets SIGCHLD back to the default.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    import gc

    from grader import collector_paused

    with collector_paused():
        import grader.isolation.zygote as zygote
        from grader.sandbox import warm_up

        warm_up()
        import_what_sympy_loads_on_first_use()
    gc.freeze()
    control = socket.socket(fileno=control_fd)
    while True:
        data, ancillary, _, _ = control.recvmsg(_MAX_REQUEST, socket.CMSG_SPACE(4))
        if not data:
            return  # every copy of the grader has closed its end
        fds = forking.received_fds(ancillary)
        wanted = _zygote_wanted(data) if len(fds) == 1 else None
        if wanted is not None and os.fork() == 0:
            control.close()
            zygote.run(fds[0], *wanted)  # never returns
        for fd in fds:
            os.close(fd)


def _zygote_wanted(data: bytes) -> tuple[Plan, bool] | None:
    """The plan and namespaces flag of a request; None for anything malformed."""
    from grader.isolation.plan import Plan

    try:
        request = json.loads(data)
        return Plan.from_dict(request["plan"]), bool(request["namespaces"])
    except (ValueError, KeyError, TypeError):
        return None


def import_what_sympy_loads_on_first_use() -> None:
    """SymPy imports parts of itself on first use: tensors and combinatorics with the first
    sum of terms, physics units in simplify, assumption wrappers in Eq. A fork of the
    grader had them (the course uses them); without this each worker would spend ~50 ms."""
    import sympy

    x, i = sympy.Symbol("x"), sympy.Symbol("i", integer=True)
    term = sympy.IndexedBase("X")[i] * x**2 / 2 + sympy.exp(-x)
    sympy.solve(sympy.Eq(sympy.simplify(sympy.Sum(term, (i, 1, 2)).doit().diff(x)), 0), x)

