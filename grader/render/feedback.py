"""The feedback for one test as labelled plain-text lines, shared by every renderer."""

from __future__ import annotations

import json
from typing import Any

from grader.i18n import N_, _, ngettext
from grader.model import CheckResult, Verdict

__all__ = [
    "feedback_lines", "feedback_text", "first_line", "headline", "show", "verdict_style",
    "verdict_word", "with_colon",
]

_HEADLINES = {
    Verdict.PASSED: N_("passed"),
    Verdict.FAILED: N_("failed"),
    Verdict.ERROR: N_("error"),
    Verdict.UNDECIDED: N_("undecided"),
    Verdict.NOT_ATTEMPTED: N_("not attempted"),
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
    """The verdict in a word or two, in the language in use."""
    return verdict_word(result.verdict)


def verdict_word(verdict: Verdict) -> str:
    """`verdict` as a person reads it ("not attempted", 未作答), in the language in use."""
    return _(_HEADLINES[verdict])


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
    lines: list[tuple[str, str]] = [(_("why"), result.rationale)]
    if result.diagnosis is not None:
        lines.append((_("diagnosis: {name}").format(name=result.diagnosis.name),
                      result.diagnosis.message))
    example = result.counterexample
    if example is not None:
        if example.inputs:
            inputs = ", ".join(f"{k} = {show(v, 120)}" for k, v in example.inputs.items())
            lines.append((_("input"), inputs))
        lines.append((_("expected"), show(example.expected)))
        lines.append((_("got"), show(example.actual)))
    elif result.actual is not None and not result.passed:
        lines.append((_("got"), show(result.actual)))
    lines.extend((_("note"), note) for note in result.notes)
    if result.output and not result.passed:
        lines.append((_("printed"), show(result.output.strip(), 300)))
    if result.hints:
        tiers = ngettext("{count} tier", "{count} tiers", len(result.hints)).format(
            count=len(result.hints))
        lines.append((_("hint"), f"descent hint {result.test}  ({tiers})"))
    return lines


def with_colon(label: str) -> str:
    """`label:` as the language in use writes it (Chinese: a full-width colon)."""
    return _("{label}:").format(label=label)


def feedback_text(result: CheckResult) -> str:
    """The feedback as text, for formats that carry one string per test."""
    body = "\n".join(f"{with_colon(label)} {text}" for label, text in feedback_lines(result))
    return f"{headline(result)} ({result.score:g}/{result.max_score:g})\n{body}"
