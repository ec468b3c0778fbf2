"""Why a submission lost points, in one word: error, failed, undecided, not attempted, passed."""

from __future__ import annotations

from grader.model import SubmissionResult, Verdict

__all__ = ["STATUSES", "submission_status"]

# The worst verdict among a submission's tests decides its status, in this order: an error
# (a crash, a timeout, a refused zip) outweighs a wrong answer, which outweighs an answer the
# grader could not decide, which outweighs a function left as the stub.
_ORDER = (
    (Verdict.ERROR, "error"),
    (Verdict.FAILED, "failed"),
    (Verdict.UNDECIDED, "undecided"),
    (Verdict.NOT_ATTEMPTED, "not attempted"),
)
STATUSES = (*(word for _, word in _ORDER), "passed")


def submission_status(result: SubmissionResult) -> str:
    """The word that says why `result` lost points ("passed" when it lost none)."""
    verdicts = {test.verdict for test in result.tests}
    return next((word for verdict, word in _ORDER if verdict in verdicts), "passed")
