"""The parent's side of the sandbox: a warm forked child per submission, restarted on failure."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from grader import isolation
from grader.child_output import OUTPUT_CAP
from grader.forking import (
    Child,
    ChildCrashed,
    ChildTimeout,
    ProtocolViolation,
    become_subreaper,
    read_at,
)
from grader.i18n import N_, _
from grader.wire import MalformedAnswer, decode_answer, encode_args

__all__ = ["OUTPUT_CAP", "CallOutcome", "CallPlan", "Cases", "Limits", "Outcome", "Sandbox",
           "warm_up"]

# A call's cases: each the arguments, and which of them come back as they are after the call.
Cases = Sequence[tuple[tuple[Any, ...], tuple[int, ...]]]
# A function of the module and its cases, made in the request that imports the module.
CallPlan = tuple[str, Cases]

_TRUNCATED = N_("… (output truncated at {limit} bytes)")


class Outcome(StrEnum):
    """How one request to the child ended."""

    RETURNED = "returned"
    RAISED = "raised"
    MISSING = "missing"
    TIMEOUT = "timeout"
    CRASHED = "crashed"
    MALFORMED = "malformed"


@dataclass(frozen=True)
class CallOutcome:
    """One call into student code, as the parent saw it: validated data only."""

    outcome: Outcome
    value: Any = None
    args_after: tuple[Any, ...] = ()
    error: dict[str, Any] = field(default_factory=dict)
    tripped: tuple[str, ...] = ()
    output: str = ""
    output_truncated: bool = False  # the code printed more than OUTPUT_CAP bytes
    seconds: float = 0.0

    @property
    def returned(self) -> bool:
        return self.outcome is Outcome.RETURNED


@dataclass(frozen=True)
class Limits:
    """Resource limits for a child; generous enough for torch, tight enough for a laptop."""

    call_seconds: float = 5.0
    import_seconds: float = 10.0
    memory_bytes: int = 2 * 1024**3
    # The hard cap on the output log of a submission (RLIMIT_FSIZE): only descriptor-level
    # writes can reach it, as print() keeps OUTPUT_CAP bytes a reply and drops the rest.
    output_bytes: int = 16 * 1024**2
    cpu_seconds: int = 120


def warm_up() -> None:
    """Import the heavy libraries once, so every fork starts with them loaded."""
    os.environ.setdefault("PYTORCH_NVML_BASED_CUDA_CHECK", "1")
    # numpy with numpy.random, which numpy 2 loads on first use: each fork would pay for it,
    # reading numpy's files inside the sandbox (07's solution draws its batches with it).
    import numpy.random  # noqa: F401
    import sympy  # noqa: F401
    import torch

    # One intra-op thread: forking a process whose OpenMP pool is running can deadlock the
    # child, and every tensor the grader touches is tiny.
    torch.set_num_threads(1)


class Sandbox:
    """Runs one submission's modules in a child; a crash or hang costs only that call."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self._child: Child | None = None
        self._scratch: Path | None = None
        self._loaded: dict[str, dict[str, Any]] = {}
        self._log_write: int | None = None
        self._log_read: int | None = None
        self._output_mark = 0  # where in the log the next reply's output starts
        become_subreaper()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Kill the child and its whole tree; remove the scratch folder."""
        if self._child is not None:
            self._child.kill()
            self._child = None
        for fd in (self._log_write, self._log_read):
            if fd is not None:
                os.close(fd)
        self._log_write = self._log_read = None
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    def load(
        self, exercise: str, filename: str, source: str, calls: Sequence[CallPlan] = ()
    ) -> tuple[CallOutcome, list[list[CallOutcome]]]:
        """Import a student's module (under a non-`__main__` name) in the child, then make
        `calls` in the same request: what the import gave, and each call's outcomes as
        `call_cases` gives them (none when the import failed)."""
        request = {
            "op": "load",
            "exercise": exercise,
            "module_name": f"student_{exercise}",
            "filename": filename,
            "source": source,
        }
        self._loaded[exercise] = request
        loaded = self._request({**request, "calls": [
            {"function": function, "cases": _encoded(cases)} for function, cases in calls
        ]}, self.limits.import_seconds)
        if not loaded.returned:
            return loaded, []
        answers = []
        for function, cases in calls:
            if self._child is None:  # it died on an earlier call: the rest get a fresh one
                answers.append(self.call_cases(exercise, function, list(cases)))
            else:
                answers.append(self._replies(len(cases)))
        return loaded, answers

    def call(
        self, exercise: str, function: str, args: tuple[Any, ...], *, watch: tuple[int, ...] = ()
    ) -> CallOutcome:
        """Call `exercise.function(*args)` in the child and return what came back, validated."""
        return self.call_cases(exercise, function, [(args, watch)])[0]

    def call_cases(
        self, exercise: str, function: str, cases: Cases,
        *, substitute: dict[str, dict[str, Any]] | None = None,
    ) -> list[CallOutcome]:
        """Call the function once per (args, watch) case, in one request.

        The child answers each case as soon as it is done, each within its own time limit;
        the list ends at the first case that did not return a value. `substitute` replaces
        helpers by tables of true values for these calls (see grader.tracing).
        """
        if self._child is None and exercise in self._loaded:
            # The previous child died: a fresh one must import the module again first.
            reload = self._request(self._loaded[exercise], self.limits.import_seconds)
            if not reload.returned:
                return [reload]
        request = {"op": "call", "exercise": exercise, "function": function,
                   "cases": _encoded(cases)}
        if substitute:
            request["substitute"] = substitute
        return self._replies(len(cases), request)

    def _replies(self, count: int, request: dict[str, Any] | None = None) -> list[CallOutcome]:
        """The replies to `count` cases (after sending `request`), up to the first that did
        not return a value: the child stops that call there too."""
        outcomes = [self._request(request, self.limits.call_seconds)]
        while outcomes[-1].returned and len(outcomes) < count:
            outcomes.append(self._request(None, self.limits.call_seconds))
        return outcomes

    def _request(self, request: dict[str, Any] | None, timeout: float) -> CallOutcome:
        """Send `request` (None: only read the next reply of one already sent) and read."""
        child = self._ensure_child()
        # A new request's output starts at the log's end; a further reply's where the
        # previous reply's ended (the child may have printed for later ones already).
        before = self._output_size() if request is not None else self._output_mark
        started = time.perf_counter()
        try:
            if request is not None:
                child.send(request)
            reply = child.receive(timeout)
        except ChildTimeout:
            return self._lost(Outcome.TIMEOUT, {"seconds": timeout}, before, started)
        except ChildCrashed as exc:
            return self._lost(Outcome.CRASHED, {"how": exc.description}, before, started)
        except ProtocolViolation as exc:
            return self._lost(Outcome.MALFORMED, {"why": str(exc)}, before, started)
        seconds = time.perf_counter() - started
        dropped = isinstance(reply, dict) and bool(reply.get("output_dropped"))
        end = self._output_size()
        claimed = reply.get("log_end") if isinstance(reply, dict) else None
        if type(claimed) is int and before <= claimed <= end:
            end = claimed  # where the child says this reply's output ends: it only places text
        self._output_mark = end
        output, truncated = self._read_output(before, dropped, end)
        outcome = _interpret(reply, output, truncated, seconds)
        if outcome.outcome is Outcome.MALFORMED:
            # The child goes on to the call's next case, which the grader no longer reads:
            # its reply would be taken for the next request's.
            child.kill()
            self._child = None
        return outcome

    def _lost(
        self, outcome: Outcome, error: dict[str, Any], before: int, started: float
    ) -> CallOutcome:
        assert self._child is not None
        self._child.kill()
        if outcome is Outcome.CRASHED:
            error = {"how": self._child.describe_exit()}
        self._child = None
        # Other modules were loaded in the dead child; they are re-imported on demand.
        output, truncated = self._read_output(before, False, self._output_size())
        return CallOutcome(outcome, error=error, output=output, output_truncated=truncated,
                           seconds=time.perf_counter() - started)

    def _ensure_child(self) -> Child:
        if self._child is not None:
            return self._child
        if self._scratch is None:
            # The grader's own folder: the output log (read through the grader's descriptor,
            # so a worker cannot swap the file) and, without namespaces, the worker's work/.
            self._scratch = Path(tempfile.mkdtemp(prefix="descent-"))
            path = self._scratch / "output.log"
            binary = getattr(os, "O_BINARY", 0)  # Windows: no newline translation
            self._log_write = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | binary,
                                      0o600)
            self._log_read = os.open(path, os.O_RDONLY | binary)
        limits = {"memory_bytes": self.limits.memory_bytes,
                  "output_bytes": self.limits.output_bytes,
                  "cpu_seconds": self.limits.cpu_seconds}
        try:
            child = isolation.start_worker(limits, self._scratch, self._log_write)
        except OSError as exc:
            raise RuntimeError(_("the grading child failed to start: {error}").format(
                error=exc)) from exc
        try:
            hello = child.receive(self.limits.import_seconds)
        except (ChildTimeout, ChildCrashed, ProtocolViolation) as exc:
            child.kill()
            raise RuntimeError(_("the grading child failed to start: {error}").format(
                error=exc)) from exc
        if not (isinstance(hello, dict) and hello.get("ready")):
            child.kill()
            raise RuntimeError(_("the grading child failed to start"))
        layers = hello.get("layers")
        isolation.record_layers(layers if isinstance(layers, list) else [])
        self._child = child
        return child

    def _output_size(self) -> int:
        if self._log_read is None:
            return 0
        try:
            return os.fstat(self._log_read).st_size
        except OSError:
            return 0

    def _read_output(self, start: int, dropped: bool, end: int) -> tuple[str, bool]:
        """The output of one reply, from `start` to `end` in the log, never more than
        OUTPUT_CAP bytes of it, and whether there was more (the child kept one byte over, or
        said it dropped some)."""
        data = b""
        if self._log_read is not None and end > start:
            with contextlib.suppress(OSError):
                data = read_at(self._log_read, min(end - start, OUTPUT_CAP + 1), start)
        truncated = dropped or len(data) > OUTPUT_CAP
        text = data[:OUTPUT_CAP].decode("utf-8", errors="replace")
        if truncated:
            return text + "\n" + _(_TRUNCATED).format(limit=OUTPUT_CAP), truncated
        return text, truncated


def _encoded(cases: Cases) -> list[dict[str, Any]]:
    return [{"args": encode_args(args), "watch": list(watch)} for args, watch in cases]


def _interpret(reply: Any, output: str, truncated: bool, seconds: float) -> CallOutcome:
    if not isinstance(reply, dict):
        return CallOutcome(Outcome.MALFORMED, error={"why": _("reply is not an object")})
    printed: dict[str, Any] = {"output": output, "output_truncated": truncated}
    tripped = reply.get("tripped", [])
    tripped = tuple(str(t)[:40] for t in tripped[:8]) if isinstance(tripped, list) else ()
    if reply.get("missing") is True:
        return CallOutcome(Outcome.MISSING, **printed, seconds=seconds)
    if isinstance(reply.get("raised"), dict):
        raised = reply["raised"]
        error = {
            "type": str(raised.get("type", "Exception"))[:80],
            "message": str(raised.get("message", ""))[:500],
            "line": raised.get("line") if type(raised.get("line")) is int else None,
            "function": str(raised.get("function") or "")[:80] or None,
        }
        return CallOutcome(Outcome.RAISED, error=error, tripped=tripped, **printed,
                           seconds=seconds)
    if "loaded" in reply:
        names = reply["loaded"]
        value = [str(n)[:80] for n in names[:200]] if isinstance(names, list) else []
        return CallOutcome(Outcome.RETURNED, value=value, tripped=tripped, **printed,
                           seconds=seconds)
    try:
        value = decode_answer(reply.get("value"))
        after = reply.get("args_after", [])
        args_after = tuple(decode_answer(a) for a in after) if isinstance(after, list) else ()
    except (MalformedAnswer, RecursionError) as exc:
        return CallOutcome(Outcome.MALFORMED, error={"why": str(exc)}, **printed)
    return CallOutcome(Outcome.RETURNED, value=value, args_after=args_after, tripped=tripped,
                       **printed, seconds=seconds)
