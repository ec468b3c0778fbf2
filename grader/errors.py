"""The one error hierarchy of descent: every failure a user can cause, with an exit code."""

from __future__ import annotations

from grader.i18n import _

__all__ = [
    "AnswerRejected",
    "CourseNotFound",
    "DescentError",
    "SubmissionError",
    "UsageError",
]


class DescentError(Exception):
    """Root of every error descent reports to a user; carries the process exit code.

    `message` and `next_step` are shown as given: the raiser translates them (`_()`)."""

    exit_code: int = 1

    def __init__(self, message: str, *, next_step: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.next_step = next_step

    def __str__(self) -> str:
        if self.next_step:
            return f"{self.message}\n  → {self.next_step}"
        return self.message


class UsageError(DescentError):
    """The command line asked for something that cannot be done."""

    exit_code = 2


class CourseNotFound(DescentError):
    """No course folder (one holding `exercises/`) was found."""

    exit_code = 3


class SubmissionError(DescentError):
    """A submission folder cannot be graded at all (missing, unreadable)."""

    exit_code = 4


class AnswerRejected(DescentError):
    """A student's symbolic answer is outside what the grader accepts (never executed).

    Its message may be a catalogue key (grader.symbolic.messages marks them with N_): it is
    shown in the language in use; an already formatted or translated message stays as it is."""

    exit_code = 1

    def __init__(self, message: str, *, next_step: str | None = None) -> None:
        super().__init__(_(message), next_step=next_step)
