"""A whole grading run: discover, skip what the journal has, grade in the pool, write, summarise."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.batch.intake import Submission, digest, discover, select_shard
from grader.batch.journal import Journal
from grader.batch.names import inside
from grader.batch.outputs import (
    fingerprint,
    regrade_changes,
    write_class_files,
    write_run_record,
)
from grader.batch.pool import WorkerPool
from grader.batch.roster import Matching, Roster
from grader.engine import Settings
from grader.errors import UsageError
from grader.i18n import _
from grader.model import SubmissionResult
from grader.render.gradebooks import DEFAULT_NAMES, GradebookNames

__all__ = ["RunSummary", "grade_run", "write_all"]


@dataclass
class RunSummary:
    """What a run did: counts, timings and regrade changes, for the closing screen."""

    results: list[SubmissionResult]
    graded_now: int = 0
    resumed: int = 0
    seconds: float = 0.0
    regrades: list[dict[str, Any]] = field(default_factory=list)
    matching: Matching | None = None  # each submission's student (roster_report.csv)


def _key(submission: Submission, settings: Settings, grader: str) -> str:
    return hashlib.sha256(f"{digest(submission)}:{grader}:{settings.seed}".encode()).hexdigest()


@dataclass
class _Plan:
    """What a run must grade, and what the journal already holds at this grader and seed."""

    grader: str  # the grader's fingerprint, part of every key
    todo: list[Submission]
    keys: dict[str, str]  # name -> the journal key it is graded under
    previous: dict[str, SubmissionResult]  # results at an older grader or seed (regrades)
    # Each submission's result, from the journal or from this run: the class files are
    # written from these, without reading the journal back.
    done: dict[str, SubmissionResult]


def _plan(submissions: list[Submission], journal: Journal, known: set[str],
          settings: Settings) -> _Plan:
    """Compare the journal (whose names are `known`) with the files. A submission it has
    never seen is graded without hashing it first: its key is computed on dispatch."""
    plan = _Plan(grader=fingerprint(), todo=[], keys={}, previous={}, done={})
    for submission in submissions:
        if submission.name not in known:
            plan.todo.append(submission)
            continue
        key = plan.keys[submission.name] = _key(submission, settings, plan.grader)
        found = journal.lookup(submission.name)
        if found is not None and found[0] == key:
            plan.done[submission.name] = found[1]
        else:
            if found is not None:
                plan.previous[submission.name] = found[1]
            plan.todo.append(submission)
    return plan


def _keyed(plan: _Plan, settings: Settings) -> Iterator[Submission]:
    """The submissions to grade, each hashed just before it is handed to a worker (so a
    file changed during the run is graded again next time, never skipped)."""
    for submission in plan.todo:
        if submission.name not in plan.keys:
            plan.keys[submission.name] = _key(submission, settings, plan.grader)
        yield submission


def grade_run(
    paths: list[Path],
    out: Path,
    *,
    settings: Settings,
    jobs: int,
    shard: str | None = None,
    deadline: float | None = None,
    roster: Roster | None = None,
    names: GradebookNames = DEFAULT_NAMES,
    on_start: Callable[[int], None] = lambda total: None,
    on_result: Callable[[SubmissionResult], None] = lambda result: None,
) -> RunSummary:
    """Grade every submission under `paths` not already journaled at this grader and seed.

    `deadline`: seconds one submission may take (default: derived from the settings' limits).
    `roster` and `names`: whom the gradebooks list, and what their grade column is called.
    """
    started = time.perf_counter()
    settings = dataclasses.replace(settings, evidence=False)  # no plot is drawn from a batch
    if out.exists() and not out.is_dir():
        raise UsageError(_("--out {out} is a file, not a folder").format(out=out),
                         next_step=_("name a new or existing folder for the results"))
    out.mkdir(parents=True, exist_ok=True)
    submissions = select_shard(discover(paths, out), shard)
    journal = Journal(inside(out, "journal.sqlite"))
    try:
        with contextlib.ExitStack() as stack:
            pool: WorkerPool | None = None
            known = journal.names()
            if not known >= {s.name for s in submissions}:
                # Some submission is new for sure: the workers start up (importing nothing,
                # they are forks) while the journal is compared with the files.
                pool = stack.enter_context(WorkerPool(jobs, settings, out, deadline))
            plan = _plan(submissions, journal, known, settings)
            summary = RunSummary(results=[], resumed=len(plan.done))
            on_start(len(plan.todo))
            if plan.todo and pool is None:
                pool = stack.enter_context(WorkerPool(jobs, settings, out, deadline))
            for result in pool.run(_keyed(plan, settings)) if pool is not None else ():
                journal.record(result.name, plan.keys[result.name], result)
                if result.name in plan.previous:
                    change = regrade_changes(plan.previous[result.name], result)
                    if change:
                        summary.regrades.append(change)
                plan.done[result.name] = result
                summary.graded_now += 1
                on_result(result)
        summary.results = [plan.done[name] for name in sorted(plan.done)]
    finally:
        journal.close()
    write_run_record(out, shard=shard, seed=settings.seed, grader=plan.grader)
    summary.matching = write_all(out, summary.results, settings.seed, summary.regrades,
                                 roster, names)
    summary.seconds = time.perf_counter() - started
    return summary


def write_all(out: Path, results: list[SubmissionResult], seed: int,
              regrades: list[dict[str, Any]], roster: Roster | None = None,
              names: GradebookNames = DEFAULT_NAMES) -> Matching:
    """Class-wide files, and the regrade report when a grader change moved any verdict."""
    matching = write_class_files(out, results, seed, roster, names)
    if regrades:
        text = json.dumps(sorted(regrades, key=lambda r: r["name"]), indent=2)
        inside(out, "regrade.json").write_text(text + "\n", encoding="utf-8")
    return matching
