"""The course as plain data for the tutor, read without importing torch or SymPy."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

from grader.course_texts import CourseText, course_ids, course_table, load_texts
from grader.i18n import language

__all__ = [
    "CourseOutline",
    "ExerciseInfo",
    "TestInfo",
    "load_outline",
    "outline_from_catalog",
    "outline_from_text",
]


@dataclass(frozen=True)
class TestInfo:
    """One graded function: its task, its hint tiers and its points (None until known)."""

    __test__ = False  # not a pytest test class, despite the name

    function: str
    task: str
    hints: tuple[str, ...]
    points: float | None = None


@dataclass(frozen=True)
class ExerciseInfo:
    """One exercise file of the course, as the tutor shows it."""

    id: str
    title: str
    summary: str
    tests: tuple[TestInfo, ...]
    kind: str | None = None

    @property
    def filename(self) -> str:
        return f"{self.id}.py"

    def test_name(self, function: str) -> str:
        return f"{self.id}:{function}"


@dataclass(frozen=True)
class CourseOutline:
    """Every exercise in course order."""

    exercises: tuple[ExerciseInfo, ...]


def load_outline() -> CourseOutline:
    """The outline, from the catalog when it is loaded already, else from its text files.

    `grader.course` imports SymPy and torch at module level (about 3 s), which would hold
    back the first paint, so the tutor reads the catalog's own TOML files instead; points
    then come from results (or from the TOML if it ever declares them).
    """
    course = sys.modules.get("grader.course")
    return outline_from_catalog(course.CATALOG) if course is not None else outline_from_text()


def outline_from_text() -> CourseOutline:
    """The outline from the catalog's course texts, in the language in use (ids in file-name
    order); points and kinds come from the English TOML where it declares them."""
    return CourseOutline(tuple(_from_texts(exercise_id) for exercise_id in course_ids()))


def _from_texts(exercise_id: str) -> ExerciseInfo:
    table: dict[str, Any] = course_table(exercise_id) or {}
    texts = load_texts(exercise_id)
    words: CourseText = texts.get(language()) or texts["en"]
    functions: dict[str, Any] = table.get("functions", {})
    tests = tuple(
        TestInfo(name, words.tasks.get(name, ""), words.hints.get(name, ()),
                 float(spec["points"]) if "points" in spec else None)
        for name, spec in functions.items()
    )
    return ExerciseInfo(exercise_id, words.title or exercise_id, words.summary, tests,
                        table.get("kind"))


def outline_from_catalog(catalog: Any) -> CourseOutline:
    """The outline of `grader.course.CATALOG` (complete: points and kinds included)."""
    return CourseOutline(tuple(
        ExerciseInfo(
            entry.id, entry.title, entry.summary,
            tuple(TestInfo(check.function, entry.tasks.get(check.function, ""),
                           tuple(entry.hints.get(check.function, ())), float(check.points))
                  for check in entry.checks),
            entry.kind,
        )
        for entry in catalog
    ))
