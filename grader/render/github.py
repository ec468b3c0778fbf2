"""GitHub Actions and Classroom: annotations, the step summary, the `result` step output."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Sequence
from typing import Any

from grader.i18n import _, ngettext
from grader.model import CheckResult, SubmissionResult, Verdict
from grader.render.feedback import feedback_text, headline

__all__ = [
    "annotations",
    "classroom_error",
    "classroom_result",
    "encode_output",
    "escape_data",
    "escape_property",
    "not_graded_summary",
    "points",
    "points_notice",
    "step_summary",
    "workflow_command",
]

# Classroom's reporter shows `status` per test; only "pass" counts as passed.
_CLASSROOM_STATUS = {
    Verdict.PASSED: "pass",
    Verdict.FAILED: "fail",
    Verdict.NOT_ATTEMPTED: "fail",
    Verdict.ERROR: "error",
    Verdict.UNDECIDED: "error",  # the grader could not judge it: neither pass nor fail
}


def escape_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's toolkit does (`escapeData`)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (`escapeProperty`): also `:` and `,`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(command: str, message: str, **properties: object) -> str:
    """`::command key=value,…::message`; properties that are None are left out."""
    shown = ",".join(f"{key}={escape_property(str(value))}"
                     for key, value in properties.items() if value is not None)
    return f"::{command}{' ' + shown if shown else ''}::{escape_data(message)}"


def points(value: float) -> int | float:
    """A score as JSON and people expect it: 2 rather than 2.0."""
    return int(value) if float(value).is_integer() else value


def annotations(result: SubmissionResult) -> list[str]:
    """An `::error` at the def line of each function that did not pass (undecided: warning)."""
    lines = []
    for test in result.tests:
        if test.passed:
            continue
        kind = "warning" if test.verdict is Verdict.UNDECIDED else "error"
        title = f"{test.test} {headline(test)} ({test.score:g}/{test.max_score:g})"
        lines.append(workflow_command(kind, feedback_text(test), file=test.file or None,
                                      line=test.line, title=title))
    return lines


def points_notice(score: float, max_score: float) -> str:
    """The notice Classroom's own reporter posts, so the points read the same everywhere."""
    return workflow_command("notice", _("Points {score:g}/{max_score:g}").format(
        score=score, max_score=max_score), title=_("Autograding complete"))


def classroom_result(result: SubmissionResult) -> dict[str, Any]:
    """GitHub Classroom's runner result, version 1: what `autograding-grading-reporter` sums."""
    return {
        "version": 1,
        "status": "pass" if result.all_passed else "fail",
        "max_score": points(result.max_score),
        "tests": [_classroom_test(test) for test in result.tests],
    }


def classroom_error(message: str, max_score: float) -> dict[str, Any]:
    """A version-1 result that gives no points and says why (status `error`)."""
    return {
        "version": 1,
        "status": "error",
        "max_score": points(max_score),
        "tests": [{"name": "descent: not graded", "status": "error", "score": 0,
                   "message": message, "line_no": 0, "filename": "", "test_code": "descent ci",
                   "duration": 0}],
    }


def encode_output(data: dict[str, Any]) -> str:
    """Base64 of compact JSON: one line, safe as a `name=value` step output."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def step_summary(result: SubmissionResult, *, fingerprint: str) -> str:
    """Markdown for `$GITHUB_STEP_SUMMARY`: a table of every test, then each miss's feedback."""
    passed = sum(t.passed for t in result.tests)
    lines = [
        "## " + _("descent: {score:g}/{max_score:g} points").format(
            score=result.score, max_score=result.max_score),
        "",
        ngettext("{passed} of {total} test passed. Graded by descent {version} (grading "
                 "files `{fingerprint}`).",
                 "{passed} of {total} tests passed. Graded by descent {version} (grading "
                 "files `{fingerprint}`).", len(result.tests)).format(
            passed=passed, total=len(result.tests), version=result.grader_version,
            fingerprint=fingerprint),
        "",
        *(f"> {_cell(note)}\n" for note in result.notes),
        # Not inside an f-string: Babel's extractor does not see calls there.
        "| | {} | {} | {} |".format(_("test"), _("points"), _("feedback")),
        "| :-: | --- | --: | --- |",
    ]
    for test in result.tests:
        note = headline(test)
        if test.diagnosis is not None:
            note += f" ({test.diagnosis.name})"
        if not test.passed:
            note += f": {test.rationale}"
        lines.append(f"| {test.verdict.symbol} | `{test.test}` | "
                     f"{test.score:g}/{test.max_score:g} | {_cell(note)} |")
    missed = [t for t in result.tests if not t.passed]
    if missed:
        lines += ["", "### " + _("Feedback"), ""]
        for test in missed:
            lines += _details(test)
    return "\n".join(lines) + "\n"


def not_graded_summary(reason: str, items: Sequence[str], next_step: str) -> str:
    """Markdown for a run that gave no grade, naming what stopped it."""
    lines = ["## " + _("descent: not graded"), "", reason, ""]
    lines += [f"- `{item}`" for item in items]
    lines += ["", next_step]
    return "\n".join(lines) + "\n"


def _classroom_test(test: CheckResult) -> dict[str, Any]:
    return {
        "name": test.test,
        "status": _CLASSROOM_STATUS[test.verdict],
        "score": points(test.score),
        "message": feedback_text(test),
        "line_no": test.line or 0,
        "filename": test.file,
        "test_code": f"descent check {test.exercise}",
        "duration": round(test.duration * 1000),  # milliseconds, as Classroom's runners report
    }


def _cell(text: str) -> str:
    """Text safe inside one Markdown table cell (GitHub renders HTML, so escape it too)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(text.replace("|", "\\|").split())


def _details(test: CheckResult) -> list[str]:
    body = feedback_text(test)
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)  # a fence longer than any backtick run in the text
    summary = _cell(f"{test.verdict.symbol} {test.test}: {headline(test)} "
                    f"({test.score:g}/{test.max_score:g})")
    return ["<details>", f"<summary>{summary}</summary>", "", f"{fence}text", body, fence,
            "", "</details>", ""]
