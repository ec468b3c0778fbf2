"""Course texts per language (`hints/<id>.toml`, `hints/<id>.zh.toml`), read without the catalog.

The tutor imports this before SymPy or torch could load, so it reads the files through
`grader`'s package data and never imports `grader.course` (whose import builds the catalog).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from grader.i18n import LANGUAGES

__all__ = [
    "ENGLISH",
    "CourseText",
    "course_ids",
    "course_table",
    "hints_folder",
    "load_texts",
    "missing_translations",
    "text_file",
]

ENGLISH = "en"


@dataclass(frozen=True)
class CourseText:
    """An exercise's words in one language: title, summary, each function's task and hints."""

    title: str
    summary: str
    tasks: dict[str, str]
    hints: dict[str, tuple[str, ...]]
    stub_sha256: str | None  # the stub shipped in this language; see grader.course_stubs


def hints_folder() -> Traversable:
    """grader/course/hints, reached without importing `grader.course`."""
    return resources.files("grader").joinpath("course", "hints")


def text_file(exercise_id: str, lang: str = ENGLISH) -> str:
    """The file name of an exercise's texts in `lang`: `<id>.toml`, `<id>.zh.toml`, …"""
    return f"{exercise_id}.toml" if lang == ENGLISH else f"{exercise_id}.{lang}.toml"


def course_ids() -> list[str]:
    """Every exercise with English texts, in file-name (course) order."""
    translated = tuple(f".{lang}.toml" for lang in LANGUAGES if lang != ENGLISH)
    return sorted(item.name.removesuffix(".toml") for item in hints_folder().iterdir()
                  if item.name.endswith(".toml") and not item.name.endswith(translated))


def course_table(exercise_id: str, lang: str = ENGLISH) -> dict[str, Any] | None:
    """The parsed TOML of an exercise's texts in `lang`; None when that file does not exist."""
    source = hints_folder().joinpath(text_file(exercise_id, lang))
    if not source.is_file():
        return None
    return tomllib.loads(source.read_text(encoding="utf-8"))


def load_texts(exercise_id: str) -> dict[str, CourseText]:
    """The exercise's texts in every language it has; a field a translation lacks (or leaves
    empty) falls back to the English, so a student always sees something to work from."""
    english = course_table(exercise_id)
    if english is None:
        raise FileNotFoundError(f"grader/course/hints/{text_file(exercise_id)} does not exist")
    texts = {ENGLISH: _text(english, english)}
    for lang in LANGUAGES:
        table = None if lang == ENGLISH else course_table(exercise_id, lang)
        if table is not None:
            texts[lang] = _text(table, english)
    return texts


def missing_translations(lang: str = "zh") -> list[str]:
    """Every course text without a version in `lang`, as sentences naming file and key.

    Compares each `<id>.toml` with its `<id>.<lang>.toml`: the file, the title, the summary,
    every function's task and every hint tier must be there and not empty, with the same
    functions and the same number of tiers. Stubs are checked by
    `grader.course_stubs.stub_problems`.
    """
    problems: list[str] = []
    for exercise_id in course_ids():
        english = course_table(exercise_id) or {}
        translated = course_table(exercise_id, lang)
        name = f"grader/course/hints/{text_file(exercise_id, lang)}"
        if translated is None:
            problems.append(f"{name} is missing")
            continue
        problems += [f"{name} lacks {key}" for key in ("title", "summary")
                     if english.get(key) and not _filled(translated.get(key))]
        theirs: dict[str, Any] = translated.get("functions", {})
        for function, spec in english.get("functions", {}).items():
            other = theirs.get(function)
            if not isinstance(other, dict):
                problems.append(f"{name} lacks [functions.{function}]")
                continue
            if spec.get("task") and not _filled(other.get("task")):
                problems.append(f"{name} lacks the task of {function}")
            tiers, their_tiers = list(spec.get("hints", [])), list(other.get("hints", []))
            if len(their_tiers) != len(tiers) or not all(map(_filled, their_tiers)):
                problems.append(f"{name}: {function} has {sum(map(_filled, their_tiers))} "
                                f"hint tiers, the English {len(tiers)}")
        problems += [f"{name} has [functions.{extra}], which the English has not"
                     for extra in sorted(set(theirs) - set(english.get("functions", {})))]
    return problems


def _filled(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _text(table: dict[str, Any], english: dict[str, Any]) -> CourseText:
    def pick(mine: Any, fallback: Any) -> str:
        return str(mine) if _filled(mine) else str(fallback or "")

    functions: dict[str, Any] = table.get("functions", {})
    tasks, hints = {}, {}
    for name, spec in english.get("functions", {}).items():
        own = functions.get(name) if isinstance(functions.get(name), dict) else {}
        tasks[name] = pick(own.get("task"), spec.get("task"))
        english_tiers = [str(tier) for tier in spec.get("hints", [])]
        own_tiers = list(own.get("hints", []))
        hints[name] = tuple(pick(own_tiers[k] if k < len(own_tiers) else None, tier)
                            for k, tier in enumerate(english_tiers))
    digest = table.get("stub_sha256")
    return CourseText(
        title=pick(table.get("title"), english.get("title")),
        summary=pick(table.get("summary"), english.get("summary")),
        tasks=tasks,
        hints=hints,
        stub_sha256=str(digest) if _filled(digest) else None,
    )
