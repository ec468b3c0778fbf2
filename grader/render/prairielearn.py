"""PrairieLearn's external-grader `results.json` (score in [0, 1], a test per graded function)."""

from __future__ import annotations

from typing import Any

from grader.i18n import ngettext
from grader.model import SubmissionResult
from grader.render.feedback import feedback_text, headline

__all__ = ["prairielearn_json"]


def prairielearn_json(result: SubmissionResult) -> dict[str, Any]:
    passed = sum(t.passed for t in result.tests)
    return {
        "gradable": True,
        "score": result.score / result.max_score if result.max_score else 0.0,
        "message": ngettext("{passed} of {total} test passed.", "{passed} of {total} tests passed.",
                            len(result.tests)).format(passed=passed, total=len(result.tests)),
        "output": "",
        "tests": [
            {
                "name": t.test,
                "description": t.rationale[:500],
                "points": t.score,
                "max_points": t.max_score,
                "message": headline(t),
                "output": feedback_text(t),
            }
            for t in result.tests
        ],
    }
