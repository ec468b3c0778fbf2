"""The grader's side of the portable runner: a warm spawned worker per submission, one ahead."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from grader.forking import ChildCrashed, ChildTimeout, ProtocolViolation
from grader.portable.process import SpawnedChild, Standby, Watch, spawn

__all__ = ["LOG_NAME", "disown", "helper_pids", "prestart", "shutdown", "start_worker"]

# The worker opens its output log itself (a descriptor cannot be handed to a spawned child
# on every system): the file of this name in the grader's scratch folder.
LOG_NAME = "output.log"
# A cold start imports numpy, SymPy and torch (seconds on a busy laptop); a standby is warm.
_START_SECONDS = 120.0

_workers = Standby(lambda: spawn("grader.portable.child_main:worker"), depth=2)


def start_worker(limits: dict[str, int], scratch: Path, log_fd: int) -> SpawnedChild:
    """A warm worker for one submission, about to send grader.child's `ready` hello.

    It writes in `scratch/work` and prints to `scratch/output.log`, whose grader-side
    descriptor `log_fd` the parent watches; raises OSError when no worker starts.
    """
    child = _workers.take()
    try:
        warm = child.receive(_START_SECONDS)
    except (ChildTimeout, ChildCrashed, ProtocolViolation) as exc:
        child.kill()
        raise OSError(f"the portable worker did not start ({exc})") from exc
    if warm != {"warm": True}:
        child.kill()
        raise OSError(f"the portable worker did not start ({warm!r})")
    _workers.prestart()  # the next submission's, or this one's after a crash
    work = scratch / "work"
    work.mkdir(exist_ok=True)
    child.limit(Watch(limits["memory_bytes"], limits["output_bytes"], log_fd))
    request: dict[str, Any] = {"log": str(scratch / LOG_NAME), "scratch": str(work),
                               "limits": limits}
    child.send(request)
    return child


def prestart() -> None:
    """Start the standby worker (and the judge) now, overlapping the grader's own imports."""
    from grader.portable import judge

    _workers.prestart()
    judge.prestart()


def helper_pids() -> set[int]:
    """The waiting worker and the judges: the grader's, not a submission's."""
    from grader.portable import judge

    return _workers.pids | judge.pids()


def shutdown() -> None:
    """Stop the waiting worker and the judges."""
    from grader.portable import judge

    _workers.close()
    judge.shutdown()


def disown() -> None:
    """In a forked copy of the grader: leave the parent's helpers alone."""
    from grader.portable import judge

    _workers.disown()
    judge.disown()
