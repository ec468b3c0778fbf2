"""A whole grading run: discover, skip what the journal has, grade in the pool, write, summarise."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.batch.intake import Submission, digest, discover, select_shard
from grader.batch.journal import Journal
from grader.batch.outputs import fingerprint, regrade_changes, write_class_files
from grader.batch.pool import WorkerPool
from grader.engine import Settings
from grader.model import SubmissionResult

__all__ = ["RunSummary", "grade_run", "write_all"]


@dataclass
class RunSummary:
    """What a run did: counts, timings and regrade changes, for the closing screen."""

    results: list[SubmissionResult]
    graded_now: int = 0
    resumed: int = 0
    seconds: float = 0.0
    regrades: list[dict[str, Any]] = field(default_factory=list)


def _key(submission: Submission, settings: Settings, grader: str) -> str:
    return hashlib.sha256(f"{digest(submission)}:{grader}:{settings.seed}".encode()).hexdigest()


def grade_run(
    paths: list[Path],
    out: Path,
    *,
    settings: Settings,
    jobs: int,
    shard: str | None = None,
    on_start: Callable[[int], None] = lambda total: None,
    on_result: Callable[[SubmissionResult], None] = lambda result: None,
) -> RunSummary:
    """Grade every submission under `paths` not already journaled at this grader and seed."""
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    submissions = select_shard(discover(paths, out / ".staging"), shard)
    journal = Journal(out / "journal.sqlite")
    grader = fingerprint()
    try:
        todo: list[Submission] = []
        keys: dict[str, str] = {}
        previous: dict[str, SubmissionResult] = {}
        # Each submission's result, from the journal or from this run: the class files are
        # written from these, without reading the journal back.
        done: dict[str, SubmissionResult] = {}
        for submission in submissions:
            keys[submission.name] = _key(submission, settings, grader)
            found = journal.lookup(submission.name)
            if found is not None and found[0] == keys[submission.name]:
                done[submission.name] = found[1]
                continue
            if found is not None:
                previous[submission.name] = found[1]
            todo.append(submission)
        summary = RunSummary(results=[], resumed=len(submissions) - len(todo))
        on_start(len(todo))
        if todo:
            with WorkerPool(jobs, settings, out) as pool:
                for result in pool.run(todo):
                    journal.record(result.name, keys[result.name], result)
                    if result.name in previous:
                        change = regrade_changes(previous[result.name], result)
                        if change:
                            summary.regrades.append(change)
                    done[result.name] = result
                    summary.graded_now += 1
                    on_result(result)
        summary.results = [done[name] for name in sorted(done)]
    finally:
        journal.close()
    write_all(out, summary.results, settings.seed, summary.regrades)
    summary.seconds = time.perf_counter() - started
    return summary


def write_all(out: Path, results: list[SubmissionResult], seed: int,
              regrades: list[dict[str, Any]]) -> None:
    """Class-wide files, and the regrade report when a grader change moved any verdict."""
    write_class_files(out, results, seed)
    if regrades:
        text = json.dumps(sorted(regrades, key=lambda r: r["name"]), indent=2)
        (out / "regrade.json").write_text(text + "\n", encoding="utf-8")
