"""The course catalog: exercises in order, their titles, points, hints and forbidden shortcuts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from grader.checks import Check
from grader.course_stubs import stub_language
from grader.course_texts import ENGLISH, CourseText, load_texts
from grader.errors import UsageError
from grader.i18n import _, language

__all__ = ["Exercise", "Forbidden", "exercise"]


@dataclass(frozen=True)
class Forbidden:
    """A shortcut an exercise rules out, found statically (names) and at run time (label)."""

    label: str  # the child's tripwire label: "autograd" or "sympy-diff"
    names: frozenset[str]  # attributes, imported names and looked-up strings that betray it
    message: str
    bare_names: frozenset[str] = frozenset()  # plain names that betray it (`diff(f, x)`)


@dataclass(frozen=True)
class Exercise:
    """One exercise file: its checks (one per graded function) and the text around them.

    Title, summary, tasks and hints are in the language in use when they are read
    (`grader.i18n.language()`, set by --lang after the catalog was imported).
    """

    id: str
    kind: str  # "symbolic" or "numeric"
    checks: tuple[Check, ...]
    texts: Mapping[str, CourseText]  # by language; English always there
    forbidden: Forbidden | None = None

    def text(self, lang: str | None = None) -> CourseText:
        """The words in `lang` (default: the language in use), English where none exist."""
        return self.texts.get(lang or language()) or self.texts[ENGLISH]

    @property
    def title(self) -> str:
        return self.text().title

    @property
    def summary(self) -> str:
        return self.text().summary

    @property
    def tasks(self) -> dict[str, str]:
        return self.text().tasks

    @property
    def hints(self) -> dict[str, tuple[str, ...]]:
        return self.text().hints

    @property
    def filename(self) -> str:
        return f"{self.id}.py"

    @property
    def max_score(self) -> float:
        return sum(check.points for check in self.checks)

    def is_untouched_stub(self, source: str) -> bool:
        """Whether `source` is byte for byte a stub the course ships, in any language (with
        LF or, as git checks it out on Windows, CRLF line ends): every function in it
        raises NotImplementedError, so grading need not run it to know nothing is done."""
        return stub_language(self.id, source) is not None

    def test_name(self, check: Check) -> str:
        return f"{self.id}:{check.function}"

    def check(self, function: str) -> Check:
        for check in self.checks:
            if check.function == function:
                return check
        raise UsageError(
            _("{exercise} has no function {function!r}").format(exercise=self.id,
                                                                 function=function),
            next_step=_("choose one of: {known}").format(
                known=", ".join(self.test_name(check) for check in self.checks)))


def exercise(
    exercise_id: str, kind: str, checks: list[Check], forbidden: Forbidden | None = None
) -> Exercise:
    """Build a catalog entry: checks from code, words from `hints/<id>.toml` and its
    translations (`hints/<id>.zh.toml`)."""
    texts = load_texts(exercise_id)
    hints = texts[ENGLISH].hints
    missing = [c.function for c in checks if len(hints.get(c.function, ())) < 3]
    if missing:
        raise RuntimeError(f"{exercise_id}: fewer than 3 hint tiers for {missing}")
    return Exercise(id=exercise_id, kind=kind, checks=tuple(checks), texts=texts,
                    forbidden=forbidden)
