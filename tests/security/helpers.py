"""Helpers for the attack tests: crafted submissions, verdicts by function, survivors."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

from grader import forking, isolation
from grader.model import SubmissionResult, Verdict

ROOT = Path(__file__).resolve().parents[2]

# Exercise 03 with an independent, correct descend(): an attack placed in step() then
# costs step() alone, and descend() shows the grader went on working.
_DESCEND = '''
def descend(grad_fn, w0, lr, steps):
    w = w0.copy() if isinstance(w0, np.ndarray) else w0
    path = [w]
    for _ in range(steps):
        w = w - lr * grad_fn(w.copy() if isinstance(w, np.ndarray) else w)
        path.append(w)
    return path
'''


def step_module(body: str, prelude: str = "") -> str:
    """Source of 03_update_step.py whose step(w, grad, lr) runs `body`."""
    return (
        "import numpy as np\n"
        + textwrap.dedent(prelude)
        + "\n\ndef step(w, grad, lr):\n"
        + textwrap.indent(textwrap.dedent(body), "    ")
        + "\n"
        + _DESCEND
    )


def verdicts(result: SubmissionResult) -> dict[str, Verdict]:
    """The verdict of each graded function."""
    return {test.function: test.verdict for test in result.tests}


def everything_said(result: SubmissionResult) -> str:
    """All a result reports (what the student would see), as one string."""
    import json

    return json.dumps(result.to_dict(), default=str)


def mode() -> isolation.IsolationMode:
    return isolation.detect()


def has_layer(name: str) -> bool:
    current = mode()
    return name in current.layers or name in current.namespaces


def file_system_confined() -> bool:
    """Reading outside the libraries is refused: a mount namespace or Landlock."""
    return has_layer("mount") or has_layer("landlock")


def survivors(before: set[int] = frozenset()) -> set[int]:
    """Descendants of this process that are neither the grader's zygotes nor in `before`."""
    children: dict[int, list[int]] = {}
    for pid, ppid, _ in forking.process_table():
        children.setdefault(ppid, []).append(pid)
    found: set[int] = set()
    stack = [os.getpid()]
    while stack:
        for kid in children.get(stack.pop(), ()):
            if kid not in found:
                found.add(kid)
                stack.append(kid)
    alive = {pid for pid in found if _alive(pid)}
    return alive - isolation.zygote_pids() - set(before)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            state = handle.read().rsplit(b")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in (b"Z", b"X")
