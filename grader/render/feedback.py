"""The feedback for one test as labelled plain-text lines, shared by every renderer."""

from __future__ import annotations

import json
from typing import Any

from grader.model import CheckResult, Verdict

__all__ = [
    "feedback_lines", "feedback_text", "first_line", "headline", "show", "verdict_style",
]

_HEADLINES = {
    Verdict.PASSED: "passed",
    Verdict.FAILED: "failed",
    Verdict.ERROR: "error",
    Verdict.UNDECIDED: "undecided",
    Verdict.NOT_ATTEMPTED: "not attempted",
}


_STYLES = {
    Verdict.PASSED: "green",
    Verdict.FAILED: "red",
    Verdict.ERROR: "magenta",
    Verdict.UNDECIDED: "yellow",
    Verdict.NOT_ATTEMPTED: "dim",
}


def verdict_style(verdict: Verdict) -> str:
    """The colour (a rich style) of a verdict, the same in the report and the tutor."""
    return _STYLES[verdict]


def headline(result: CheckResult) -> str:
    return _HEADLINES[result.verdict]


def show(value: Any, limit: int = 300) -> str:
    """A compact one-line rendering of plain data (numbers rounded upstream)."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def first_line(text: str, limit: int = 200) -> str:
    """The first non-blank line of `text`, spaces collapsed, cut to `limit` characters: a
    rationale where a format holds one short line (a JUnit message, a table cell)."""
    line = next((" ".join(part.split()) for part in text.splitlines() if part.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def feedback_lines(result: CheckResult) -> list[tuple[str, str]]:
    """(label, text) pairs in reading order: why, what was recognised, the evidence, next."""
    lines: list[tuple[str, str]] = [("why", result.rationale)]
    if result.diagnosis is not None:
        lines.append((f"diagnosis: {result.diagnosis.name}", result.diagnosis.message))
    example = result.counterexample
    if example is not None:
        if example.inputs:
            inputs = ", ".join(f"{k} = {show(v, 120)}" for k, v in example.inputs.items())
            lines.append(("input", inputs))
        lines.append(("expected", show(example.expected)))
        lines.append(("got", show(example.actual)))
    elif result.actual is not None and not result.passed:
        lines.append(("got", show(result.actual)))
    lines.extend(("note", note) for note in result.notes)
    if result.output and not result.passed:
        lines.append(("printed", show(result.output.strip(), 300)))
    if result.hints:
        lines.append(("hint", f"descent hint {result.test}  ({len(result.hints)} tiers)"))
    return lines


def feedback_text(result: CheckResult) -> str:
    """The feedback as text, for formats that carry one string per test."""
    body = "\n".join(f"{label}: {text}" for label, text in feedback_lines(result))
    return f"{headline(result)} ({result.score:g}/{result.max_score:g})\n{body}"
