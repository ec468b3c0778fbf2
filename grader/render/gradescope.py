"""Gradescope's autograder `results.json` (plain or Markdown feedback) and `grades.csv`."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import Any, Literal

from grader.i18n import N_, _, ngettext
from grader.model import CheckResult, SubmissionResult
from grader.render.cells import spreadsheet_text
from grader.render.feedback import feedback_lines, feedback_text, headline
from grader.render.status import submission_status

__all__ = [
    "VISIBILITIES",
    "Visibility",
    "failure_results",
    "feedback_markdown",
    "grades_csv",
    "markdown_code",
    "markdown_text",
    "results_json",
]

Visibility = Literal["visible", "after_published", "after_due_date", "hidden"]
# Gradescope's documented values, most open first.
VISIBILITIES: tuple[Visibility, ...] = ("visible", "after_published", "after_due_date", "hidden")

_WHEN = {
    "after_published": N_("Your submission was graded; the results are shown once your "
                          "instructor publishes the grades."),
    "after_due_date": N_("Your submission was graded; the results are shown after the due "
                         "date."),
    "hidden": N_("Your submission was graded; the results are shown by your instructor."),
}
# Evidence is student-controlled data (values, printed text): it goes in code, never in prose.
_EVIDENCE = (N_("input"), N_("expected"), N_("got"), N_("printed"), N_("hint"))
# Anywhere: emphasis, code, links, images, HTML, entities, tables, headings, strikethrough.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>#|~&])")
# At a line's start only: list items, setext underlines, ordered lists ("1." or "1)").
_MARKDOWN_LINE_START = re.compile(r"^(\s*)([-+=]|\d+(?=[.)]))")


def markdown_text(text: str) -> str:
    """`text` as literal Markdown prose: what Markdown or HTML would act on is escaped, so
    text a student controls (an exception message) cannot add links, markup or structure."""
    lines = [_MARKDOWN_LINE_START.sub(_escape_start, _MARKDOWN_INLINE.sub(r"\\\1", line))
             for line in text.splitlines()]
    return "  \n".join(lines)


def _escape_start(match: re.Match[str]) -> str:
    indent, start = match.group(1), match.group(2)
    return f"{indent}{start}\\" if start[0].isdigit() else f"{indent}\\{start}"


def markdown_code(text: str) -> str:
    """`text` as Markdown code: inline when it is one line, else a fenced block; the fence is
    longer than any run of backticks inside, so the text cannot close it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    if "\n" not in text:
        fence = "`" * (longest + 1)
        pad = " " if text[:1] == "`" or text[-1:] == "`" else ""  # else it would join the fence
        return f"{fence}{pad}{text}{pad}{fence}"
    fence = "`" * max(3, longest + 1)
    return f"\n\n{fence}text\n{text}\n{fence}\n"


def feedback_markdown(result: CheckResult) -> str:
    """One test's feedback as Markdown: the verdict, then each labelled line of evidence."""
    lines = [f"**{headline(result)}** ({result.score:g}/{result.max_score:g})", ""]
    evidence = {_(label) for label in _EVIDENCE}  # feedback_lines labels in the language in use
    for label, text in feedback_lines(result):
        shown = markdown_code(text) if label in evidence else markdown_text(text)
        lines.append(f"- **{markdown_text(label)}**: {shown}")
    return "\n".join(lines)


def results_json(result: SubmissionResult, *, markdown: bool = False,
                 visibility: Visibility = "visible",
                 preface: Sequence[str] = ()) -> dict[str, Any]:
    """Gradescope's schema: a test per graded function, its feedback as the test's output.

    `markdown`: feedback as Markdown (what the autograder shows), else plain text (the batch
    and CI artifacts). `visibility` applies to every test and to the whole result; short of
    "visible", the top-level output leaves out the score, which would give hidden verdicts
    away. `preface`: paragraphs (in the output's format) for the top of the output.
    """
    passed = sum(1 for t in result.tests if t.passed)
    strong = "**" if markdown else ""
    if visibility == "visible":
        summary = ngettext("{strong}{passed} of {total} test passed{strong}; score "
                           "{score:g}/{max_score:g}.",
                           "{strong}{passed} of {total} tests passed{strong}; score "
                           "{score:g}/{max_score:g}.", len(result.tests)).format(
            strong=strong, passed=passed, total=len(result.tests), score=result.score,
            max_score=result.max_score)
    else:
        summary = _(_WHEN[visibility])
    notes = [markdown_text(note) if markdown else note for note in result.notes]
    # The version and the mode are the grader's own words, never a student's.
    output = [*preface, summary, *notes, _(
        "Graded by descent {version}; student code ran under isolation: {isolation}.").format(
            version=result.grader_version, isolation=result.isolation)]
    text_format = "md" if markdown else "text"
    render = feedback_markdown if markdown else feedback_text
    return {
        "score": result.score,
        "execution_time": result.execution_time,
        "output": ("\n\n" if markdown else "\n").join(output),
        "output_format": text_format,
        "test_output_format": text_format,
        "visibility": visibility,
        "stdout_visibility": "hidden",
        "tests": [
            {
                "name": t.test,
                "number": f"{i}",
                "score": t.score,
                "max_score": t.max_score,
                "status": "passed" if t.passed else "failed",
                "output": render(t),
                "output_format": text_format,
                "tags": [t.exercise],
                "visibility": visibility,
                "extra_data": {"verdict": t.verdict.value,
                               "diagnosis": t.diagnosis.name if t.diagnosis else None},
            }
            for i, t in enumerate(result.tests, start=1)
        ],
        "extra_data": {"grader_version": result.grader_version, "seed": result.seed,
                       "isolation": result.isolation},
    }


def failure_results(message: str, *, grader_version: str) -> dict[str, Any]:
    """A results file for a run that could not grade at all: score 0 and `message` (Markdown)."""
    return {
        "score": 0.0,
        "execution_time": 0,
        "output": message + "\n\n" + _("Graded by descent {version}.").format(
            version=grader_version),
        "output_format": "md",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": [],
        "extra_data": {"grader_version": grader_version, "graded": False},
    }


def grades_csv(results: list[SubmissionResult], tests: list[str]) -> str:
    """A row per submission, a column per test (its score), the total, and `status`: why
    points were lost (error, failed, undecided, not attempted; passed when none were)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["submission", *tests, "total", "max_total", "status"])
    for result in results:
        scores = {t.test: t.score for t in result.tests}
        writer.writerow([spreadsheet_text(result.name),
                         *(f"{scores.get(name, 0):g}" for name in tests),
                         f"{result.score:g}", f"{result.max_score:g}",
                         submission_status(result)])
    return buffer.getvalue()
