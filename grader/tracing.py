"""Tracing through the student's own functions: which failing helper to fix first, and whether
the caller passes with the true helper (re-run in the child, judged here)."""

# The re-run is feedback only: it never changes a verdict or a score. The worker never sees a
# truth: each helper is a table of true values for the inputs it was called on, grown one miss
# at a time (grader.substitutes), with at most _MOST_MISSES calls per case, each with the same
# per-call deadline as a graded one; what a re-run trips is ignored.

from __future__ import annotations

import ast
import functools
import json
from collections.abc import Callable, Collection
from dataclasses import replace
from typing import Any

from grader.checks.base import Assessment, Case, Check, Run
from grader.course.catalog import Exercise
from grader.i18n import _
from grader.inputs import rebuild_input
from grader.model import Diagnosis, Verdict
from grader.sandbox import CallOutcome, Outcome
from grader.substitutes import input_key
from grader.wire import ArrayAnswer, MalformedAnswer, decode_answer, encode_args

__all__ = ["Call", "called_helpers", "trace"]

# Calls the failing function on one case with {helper: {input key: value}} substituted.
Call = Callable[[Case, dict[str, dict[str, Any]]], CallOutcome]
_MOST_MISSES = 64
_MISS = "SubstituteMiss"

@functools.lru_cache(maxsize=512)
def called_helpers(source: str, function: str, graded: tuple[str, ...]) -> tuple[str, ...]:
    """The graded functions that `function` calls in `source`, directly or through the file's
    own top-level functions, in the order first met."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ()
    calls = {
        node.name: [call.func.id for call in ast.walk(node)
                    if isinstance(call, ast.Call) and isinstance(call.func, ast.Name)]
        for node in tree.body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    found: list[str] = []
    seen, queue = {function}, list(calls.get(function, ()))
    while queue:
        name = queue.pop(0)
        if name in seen:
            continue
        seen.add(name)
        if name in graded:
            found.append(name)
        queue.extend(calls.get(name, ()))  # a helper of its own may call a graded one
    return tuple(found)


def trace(
    entry: Exercise,
    check: Check,
    assessed: Assessment,
    runs: list[Run],
    *,
    source: str,
    failing: Collection[str],
    call: Call,
) -> Assessment:
    """`assessed`, naming the failing helpers the function calls and what the function does
    with the true ones; unchanged when it calls none or already passes."""
    if assessed.verdict is not Verdict.FAILED:
        return assessed
    graded = tuple(c.function for c in entry.checks)
    helpers = [h for h in called_helpers(source, check.function, graded) if h in failing]
    if not helpers:
        return assessed
    truths = {h: getattr(entry.check(h), "trusted", None) for h in helpers}
    fields = {"function": check.function, "helpers": ", ".join(f"{h}()" for h in helpers)}
    message = _("{function}() calls your {helpers}, which fails its own test: fix {helpers} "
                "first.").format(**fields)
    again = _rerun(check, runs, truths, call)
    if again is None:
        note = _("{function}() could not be re-run with the true {helpers}.").format(**fields)
    elif again.verdict is Verdict.PASSED:
        note = _("With the true {helpers}, {function}() passes.").format(**fields)
    else:
        own = f" {again.diagnosis.message}" if again.diagnosis else ""
        note = _("Even with the true {helpers}, {function}() is still wrong.").format(
            **fields) + own
    return replace(assessed, diagnosis=Diagnosis("fix-helper-first", f"{message} {note}"),
                   notes=(*assessed.notes, note))


def _rerun(
    check: Check, runs: list[Run], truths: dict[str, Callable[..., Any] | None], call: Call
) -> Assessment | None:
    """The check's judgement of the function re-run with the true helpers, or None when that
    could not be done (a helper without a truth, a case that did not return)."""
    if any(truth is None for truth in truths.values()):
        return None
    tables = _rehearsed(check, runs, {name: t for name, t in truths.items() if t is not None})
    again: list[Run] = []
    for run in runs:
        for _attempt in range(_MOST_MISSES):
            outcome = call(run.case, tables)
            if not _answer_miss(outcome, tables, truths):
                break
        if not outcome.returned:
            return None
        again.append(Run(run.case, outcome))
    try:
        return check.assess(again)
    except Exception:  # a defect in judging feedback costs the note, never the test
        return None


def _rehearsed(
    check: Check, runs: list[Run], truths: dict[str, Callable[..., Any]]
) -> dict[str, dict[str, Any]]:
    """The helpers' tables answered ahead for the calls a right caller makes on these cases
    (`Check.rehearse`): a re-run then takes one round trip per case instead of one per call
    (a 50-step descend took 50). A caller that calls otherwise still misses, as before."""
    tables: dict[str, dict[str, Any]] = {name: {} for name in truths}

    def recording(name: str, truth: Callable[..., Any]) -> Callable[..., Any]:
        def helper(*args: Any) -> Any:
            value = encode_args((truth(*args),))[0]
            tables[name][input_key(args)] = value
            return rebuild_input(value)  # what the child's substitute returns
        return helper

    helpers = {name: recording(name, truth) for name, truth in truths.items()}
    for run in runs:
        try:  # the inputs as the child rebuilds them, so the keys match its calls
            check.rehearse([rebuild_input(arg) for arg in encode_args(run.case.args)], helpers)
        except Exception:  # a rehearsal only saves round trips; the misses still answer
            continue
    return tables


def _answer_miss(
    outcome: CallOutcome, tables: dict[str, dict[str, Any]],
    truths: dict[str, Callable[..., Any] | None],
) -> bool:
    """Whether `outcome` was a helper called on new inputs, now answered in `tables`."""
    if outcome.outcome is not Outcome.RAISED or outcome.error.get("type") != _MISS:
        return False
    try:
        miss = json.loads(str(outcome.error.get("message", "")))
        name, key = str(miss["helper"]), str(miss["key"])
        decoded = decode_answer(json.loads(key))
    except (ValueError, TypeError, KeyError, MalformedAnswer, RecursionError):
        return False  # cut at the message cap, or not ours: the re-run is given up
    truth = truths.get(name)
    if truth is None or not isinstance(decoded, list) or key in tables[name]:
        return False
    args = tuple(a.values if isinstance(a, ArrayAnswer) else a for a in decoded)
    try:
        tables[name][key] = encode_args((truth(*args),))[0]
    except Exception:  # inputs the truth cannot take: the re-run is given up
        return False
    return True
