"""pytest in a released repo: one pytest test per course test, graded once, same verdicts."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.course import CATALOG
from grader.i18n import _, course_language, set_language
from grader.model import Verdict
from grader.release.ci import RepositoryGrade, assess, modified_message
from grader.render.feedback import feedback_text

__all__ = ["TEST_NAMES", "RepositoryGrade", "check_test", "grade_repository"]

TEST_NAMES = tuple(entry.test_name(check) for entry in CATALOG for check in entry.checks)


def grade_repository(root: Path) -> RepositoryGrade:
    """What `descent ci` decides for the repo at `root` (grading files checked first), in
    the language `descent` would speak there (DESCENT_LANG, the repo's default, the locale)."""
    set_language(None, course_language(root))
    return assess(root)


def check_test(graded: RepositoryGrade, test: str) -> None:
    """Pass, fail or skip (undecided) one course test, with the grader's feedback as the reason."""
    if graded.result is None:
        pytest.fail(modified_message(graded.modified), pytrace=False)
    found = {result.test: result for result in graded.result.tests}
    if test not in found:
        pytest.fail(_("{test} was not graded: the installed descent does not know it").format(
            test=test), pytrace=False)
    result = found[test]
    if result.passed:
        return
    if result.verdict is Verdict.UNDECIDED:
        pytest.skip(feedback_text(result))
    pytest.fail(feedback_text(result), pytrace=False)
