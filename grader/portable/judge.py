"""A warm judge process for work that may run away (SymPy has no timeout), where fork is not."""

from __future__ import annotations

import base64
import pickle
import threading
from collections.abc import Callable
from typing import Any

from grader.forking import ChildCrashed, ChildTimeout, ProtocolViolation
from grader.portable.process import SpawnedChild, Standby, spawn

__all__ = ["call", "disown", "pids", "prestart", "shutdown"]

_START_SECONDS = 120.0

_standby = Standby(lambda: spawn("grader.portable.child_main:judge"))
_current: SpawnedChild | None = None
_lock = threading.Lock()


def call(function: Callable[..., Any], args: tuple[Any, ...], timeout: float) -> Any:
    """`function(*args)` (a module-level function of the grader, on the grader's own
    objects) in the judge; its JSON-able result.

    At the deadline the judge is killed, the warm standby takes its place, and
    `ChildTimeout` is raised; an exception in `function` comes back as `ChildCrashed`.
    """
    global _current
    payload = base64.b64encode(pickle.dumps((function, args))).decode("ascii")
    with _lock:
        judge = _ready()
        try:
            judge.send({"call": payload})
            reply = judge.receive(timeout)
        except (ChildTimeout, ChildCrashed, ProtocolViolation):
            judge.kill()
            _current = None
            raise
    if not isinstance(reply, dict):
        raise ProtocolViolation("malformed reply")
    if "error" in reply:
        raise ChildCrashed(str(reply["error"]))
    return reply.get("ok")


def _ready() -> SpawnedChild:
    """The warm judge (waiting for one to start is not part of any comparison's time)."""
    global _current
    if _current is not None and _current.alive:
        return _current
    judge = _standby.take()
    try:
        warm = judge.receive(_START_SECONDS)
    except (ChildTimeout, ChildCrashed, ProtocolViolation) as exc:
        judge.kill()
        raise ChildCrashed(f"the judge did not start ({exc})") from exc
    if warm != {"warm": True}:
        judge.kill()
        raise ChildCrashed("the judge did not start")
    _current = judge
    _standby.prestart()
    return judge


def prestart() -> None:
    """Start a judge now, so the first comparison does not wait for SymPy to import."""
    if _current is None:
        _standby.prestart()


def pids() -> set[int]:
    current = _current
    alive = {current.pid} if current is not None and current.alive else set()
    return alive | _standby.pids


def shutdown() -> None:
    global _current
    with _lock:
        if _current is not None:
            _current.kill()
        _current = None
        _standby.close()


def disown() -> None:
    global _current, _lock
    _current = None
    _lock = threading.Lock()
    _standby.disown()
