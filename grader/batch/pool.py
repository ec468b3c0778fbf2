"""A pool of warm grading workers forked from a parent that has already imported the libraries."""

from __future__ import annotations

import gc
import os
import select
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from grader.batch.intake import Submission
from grader.batch.outputs import write_submission_files
from grader.checks import SymbolicCheck
from grader.course import CATALOG
from grader.engine import Settings, grade
from grader.forking import (
    Child,
    ChildCrashed,
    ChildTimeout,
    ProtocolViolation,
    fork_child,
    read_in_child,
    send_from_child,
)
from grader.i18n import _
from grader.isolation import detect
from grader.model import CheckResult, SubmissionResult, Verdict
from grader.portable.mode import linux_missing
from grader.sandbox import warm_up

__all__ = ["WorkerPool", "default_jobs", "grade_submission", "submission_deadline",
           "unreadable_result"]

# Every call a worker makes is already time-limited; the per-submission deadline is the
# backstop for a worker that is itself stuck (or a submission slow in every case).
_CASES_PER_TEST = 4  # a test runs several cases, each within `call_seconds`
_MARGIN_SECONDS = 30.0
_FLOOR_SECONDS = 60.0
_CEILING_SECONDS = 1800.0


def default_jobs() -> int:
    """Workers for a run: one per core. A worker's child answers a file's calls in one go, so
    the pair keeps a core busy; a worker more than cores cost 5% more CPU and 3% more time
    over five paired runs (benchmarks/grade_speed.py, 2 cores)."""
    return os.cpu_count() or 1


def submission_deadline(settings: Settings) -> float:
    """Seconds a worker may spend on one submission: every module imported and every case
    run at its limit, plus a margin, kept between one minute and half an hour."""
    limits = settings.limits
    tests = sum(len(entry.checks) for entry in CATALOG)
    budget = (limits.import_seconds * len(CATALOG) + limits.call_seconds * tests
              * _CASES_PER_TEST + _MARGIN_SECONDS)
    return min(max(budget, _FLOOR_SECONDS), _CEILING_SECONDS)


def unreadable_result(
    name: str, reason: str, settings: Settings, verdict: Verdict = Verdict.ERROR
) -> SubmissionResult:
    """A result for a submission that could not be graded at all: every test gets `verdict`."""
    from grader import __version__

    tests = tuple(
        CheckResult(exercise=entry.id, function=check.function, verdict=verdict,
                    score=0.0, max_score=float(check.points), rationale=reason)
        for entry in CATALOG
        for check in entry.checks
    )
    return SubmissionResult(name=name, tests=tests, execution_time=0.0,
                            grader_version=__version__, seed=settings.seed, isolation=detect().name)


def grade_submission(submission: Submission, settings: Settings) -> SubmissionResult:
    """Grade one discovered submission; one that holds nothing gradable still gets a result."""
    if submission.problem is not None:
        return unreadable_result(submission.name, submission.problem, settings)
    if submission.exercises is None:
        return unreadable_result(
            submission.name, _("No exercises/ folder was found in this submission."), settings,
            Verdict.NOT_ATTEMPTED,
        )
    return grade(submission.exercises, name=submission.name, settings=settings)


@dataclass
class _Worker:
    child: Child
    job: Submission | None = None
    deadline: float = 0.0  # time.monotonic() by which the job's result must be back
    broken: bool = False


class WorkerPool:
    """`jobs` forked workers; `run` yields results as they finish, in any order.

    Each worker grades a submission (its own sandboxed child inside) and writes that
    submission's files under `out`; a result that never comes back, or not within
    `deadline` seconds (default: `submission_deadline`), is recorded as an error and the
    worker replaced.
    """

    def __init__(self, jobs: int, settings: Settings, out: Path,
                 deadline: float | None = None) -> None:
        warm_up()
        for entry in CATALOG:  # symbolic truths and mistakes built once here, not per worker
            for check in entry.checks:
                if isinstance(check, SymbolicCheck):
                    _ = check.truth, check.named
        # Objects that exist now are never collected; freezing them keeps the workers' and
        # sandboxes' garbage collector from touching (and copying) the inherited heap.
        gc.freeze()
        self.settings = settings
        self.out = out
        self.deadline = submission_deadline(settings) if deadline is None else deadline
        # No fork (Windows), or one that is unsafe once torch is loaded (macOS): submissions
        # are graded here one at a time, each still in its own spawned child.
        self._serial = linux_missing() is not None
        self._workers = [] if self._serial else [self._spawn() for _ in range(max(1, jobs))]

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        for worker in self._workers:
            worker.child.kill()
        self._workers = []

    def _spawn(self) -> _Worker:
        settings, out = self.settings, self.out

        def body(read_fd: int, write_fd: int) -> None:
            detect()  # starts this worker's zygote before the first submission arrives
            while True:
                request = read_in_child(read_fd)
                if request is None:
                    return
                folder = Path(request["exercises"]) if request["exercises"] else None
                submission = Submission(request["name"], folder, request["problem"])
                result = grade_submission(submission, settings)
                # Written here, by grader code, after the submission's sandbox is gone: the
                # main process only journals, which keeps it off the critical path.
                write_submission_files(out, result)
                send_from_child(write_fd, result.to_dict())

        return _Worker(fork_child(body))

    def run(self, submissions: Iterable[Submission]) -> Iterator[SubmissionResult]:
        """Results in the order they finish; `submissions` is drawn from only as workers
        fall idle, so whatever produces it overlaps with the grading."""
        if self._serial:
            for job in submissions:
                result = grade_submission(job, self.settings)
                write_submission_files(self.out, result)
                yield result
            return
        pending = iter(submissions)
        idle = list(self._workers)
        busy: list[_Worker] = []
        while True:
            while idle and (job := next(pending, None)) is not None:
                worker = idle.pop()
                worker.job = job
                worker.deadline = time.monotonic() + self.deadline
                worker.child.send({"name": job.name, "exercises": str(job.exercises or ""),
                                   "problem": job.problem})
                busy.append(worker)
            if not busy:
                return
            wait = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            ready, _, _ = select.select([w.child.from_child for w in busy], [], [], wait)
            now = time.monotonic()
            for worker in [w for w in busy if w.child.from_child in ready or w.deadline <= now]:
                busy.remove(worker)
                yield self._collect(worker, ready=worker.child.from_child in ready)
                idle.append(self._replace(worker) if worker.broken else worker)

    def _collect(self, worker: _Worker, *, ready: bool) -> SubmissionResult:
        job = worker.job
        assert job is not None
        worker.job = None
        if not ready:
            return self._lost(worker, job, _(
                "The grading worker ran out of time: it had not finished this submission after "
                "{seconds:g} s, so it was stopped and the submission was not graded. Re-run the "
                "same command to retry it; if it runs out of time again, grade it alone to see "
                "which exercise hangs.").format(seconds=self.deadline))
        try:
            # What is left of the deadline: a worker that sends half an answer and stalls
            # is not waited for beyond it.
            left = max(0.1, worker.deadline - time.monotonic())
            return SubmissionResult.from_dict(worker.child.receive(left))
        except (ChildCrashed, ChildTimeout, ProtocolViolation, KeyError, TypeError) as exc:
            return self._lost(worker, job, _(
                "The grading worker failed on this submission ({error}); it was not graded. "
                "Re-run the same command to retry it.").format(error=exc))

    def _lost(self, worker: _Worker, job: Submission, reason: str) -> SubmissionResult:
        worker.child.kill()
        worker.broken = True
        result = unreadable_result(job.name, reason, self.settings)
        write_submission_files(self.out, result)
        return result

    def _replace(self, worker: _Worker) -> _Worker:
        self._workers.remove(worker)
        fresh = self._spawn()
        self._workers.append(fresh)
        return fresh
