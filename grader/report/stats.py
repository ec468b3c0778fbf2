"""The figures a class report shows, computed from the result model and nothing else."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field

from grader.i18n import _
from grader.model import CheckResult, SubmissionResult, Verdict
from grader.render.feedback import first_line, show
from grader.render.status import submission_status

__all__ = ["ClassStats", "Mistake", "Problem", "class_stats"]


@dataclass(frozen=True)
class Problem:
    """A submission with a test that errored: which, and why (its first error's rationale)."""

    name: str
    tests: int  # how many of its tests errored
    first_test: str
    why: str


@dataclass(frozen=True)
class Mistake:
    """A diagnosis recognised in one test, how many students made it, and one example."""

    test: str
    name: str
    count: int
    example: str


@dataclass
class ClassStats:
    """Everything the report shows, in the order it shows it."""

    count: int
    mean: float
    median: float
    max_score: float
    full_marks: int
    problems: list[Problem]
    tests: list[str]
    # test -> verdict -> how many submissions got it on that test
    verdicts: dict[str, Counter[Verdict]]
    mistakes: dict[str, list[Mistake]] = field(default_factory=dict)

    def share(self, test: str, verdict: Verdict) -> float:
        """The fraction of the submissions graded on `test` that got `verdict`."""
        counts = self.verdicts[test]
        total = sum(counts.values())
        return counts[verdict] / total if total else 0.0


def class_stats(results: list[SubmissionResult], tests: list[str],
                per_test: int = 3) -> ClassStats:
    """The report's figures; `per_test`: how many recognised mistakes to list for a test."""
    scores = [r.score for r in results]
    verdicts: dict[str, Counter[Verdict]] = {test: Counter() for test in tests}
    found: dict[tuple[str, str], list[CheckResult]] = {}
    for result in results:
        for test in result.tests:
            verdicts.setdefault(test.test, Counter())[test.verdict] += 1
            if test.diagnosis is not None and not test.passed:
                found.setdefault((test.test, test.diagnosis.name), []).append(test)
    mistakes: dict[str, list[Mistake]] = {}
    for (test, name), cases in sorted(found.items(), key=lambda item: -len(item[1])):
        if len(mistakes.setdefault(test, [])) < per_test:
            mistakes[test].append(Mistake(test, name, len(cases), _example(cases[0])))
    return ClassStats(
        count=len(results),
        mean=statistics.fmean(scores) if scores else 0.0,
        median=statistics.median(scores) if scores else 0.0,
        max_score=max((r.max_score for r in results), default=0.0),
        full_marks=sum(r.all_passed for r in results),
        problems=[_problem(r) for r in results if submission_status(r) == "error"],
        tests=list(verdicts),
        verdicts=verdicts,
        mistakes=mistakes,
    )


def _problem(result: SubmissionResult) -> Problem:
    errors = [t for t in result.tests if t.verdict is Verdict.ERROR]
    return Problem(result.name, len(errors), errors[0].test, first_line(errors[0].rationale))


def _example(case: CheckResult) -> str:
    """A counterexample in one line where there is one, else the rationale."""
    example = case.counterexample
    if example is None:
        return first_line(case.rationale)
    inputs = ", ".join(f"{k} = {show(v, 60)}" for k, v in example.inputs.items())
    fields = {"inputs": inputs, "expected": show(example.expected, 80),
              "actual": show(example.actual, 80)}
    if inputs:
        return _("at {inputs}: expected {expected}, got {actual}").format(**fields)
    return _("expected {expected}, got {actual}").format(**fields)
