"""Gradescope's autograder `results.json` and the class-wide `grades.csv`."""

from __future__ import annotations

import csv
import io
from typing import Any

from grader.model import SubmissionResult
from grader.render.feedback import feedback_text
from grader.render.status import submission_status

__all__ = ["grades_csv", "results_json"]


def results_json(result: SubmissionResult) -> dict[str, Any]:
    """Gradescope's schema: a test per graded function, feedback in each test's output."""
    passed = sum(1 for t in result.tests if t.passed)
    return {
        "score": result.score,
        "execution_time": result.execution_time,
        "output": f"{passed} of {len(result.tests)} tests passed; score "
        f"{result.score:g}/{result.max_score:g}. Graded by descent {result.grader_version}.",
        "output_format": "text",
        "test_output_format": "text",
        "visibility": "visible",
        "tests": [
            {
                "name": t.test,
                "number": f"{i}",
                "score": t.score,
                "max_score": t.max_score,
                "status": "passed" if t.passed else "failed",
                "output": feedback_text(t),
                "tags": [t.exercise],
                "extra_data": {"verdict": t.verdict.value,
                               "diagnosis": t.diagnosis.name if t.diagnosis else None},
            }
            for i, t in enumerate(result.tests, start=1)
        ],
        "extra_data": {"grader_version": result.grader_version, "seed": result.seed,
                       "isolation": result.isolation},
    }


def grades_csv(results: list[SubmissionResult], tests: list[str]) -> str:
    """A row per submission, a column per test (its score), the total, and `status`: why
    points were lost (error, failed, undecided, not attempted; passed when none were)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["submission", *tests, "total", "max_total", "status"])
    for result in results:
        scores = {t.test: t.score for t in result.tests}
        writer.writerow([result.name, *(f"{scores.get(name, 0):g}" for name in tests),
                         f"{result.score:g}", f"{result.max_score:g}",
                         submission_status(result)])
    return buffer.getvalue()
