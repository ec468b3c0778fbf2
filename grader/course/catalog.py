"""The course catalog: exercises in order, their titles, points, hints and forbidden shortcuts."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from grader.checks import Check
from grader.errors import UsageError

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
    """One exercise file: its checks (one per graded function) and the text around them."""

    id: str
    title: str
    summary: str
    kind: str  # "symbolic" or "numeric"
    checks: tuple[Check, ...]
    tasks: dict[str, str] = field(default_factory=dict)
    hints: dict[str, tuple[str, ...]] = field(default_factory=dict)
    forbidden: Forbidden | None = None
    stub_sha256: str | None = None  # the stub as shipped; see is_untouched_stub

    @property
    def filename(self) -> str:
        return f"{self.id}.py"

    @property
    def max_score(self) -> float:
        return sum(check.points for check in self.checks)

    def is_untouched_stub(self, source: str) -> bool:
        """Whether `source` is byte for byte the stub the course ships: every function in it
        raises NotImplementedError, so grading need not run it to know nothing is done."""
        if self.stub_sha256 is None:
            return False
        return hashlib.sha256(source.encode("utf-8")).hexdigest() == self.stub_sha256

    def test_name(self, check: Check) -> str:
        return f"{self.id}:{check.function}"

    def check(self, function: str) -> Check:
        for check in self.checks:
            if check.function == function:
                return check
        raise UsageError(f"{self.id} has no function {function!r}")


def exercise(
    exercise_id: str, kind: str, checks: list[Check], forbidden: Forbidden | None = None
) -> Exercise:
    """Build a catalog entry: checks from code, words from `hints/<id>.toml`."""
    text = _load_text(exercise_id)
    functions: dict[str, Any] = text.get("functions", {})
    missing = [
        c.function for c in checks if len(functions.get(c.function, {}).get("hints", [])) < 3
    ]
    if missing:
        raise RuntimeError(f"{exercise_id}: fewer than 3 hint tiers for {missing}")
    return Exercise(
        id=exercise_id,
        title=str(text["title"]),
        summary=str(text.get("summary", "")),
        kind=kind,
        checks=tuple(checks),
        tasks={name: str(spec.get("task", "")) for name, spec in functions.items()},
        hints={name: tuple(spec["hints"]) for name, spec in functions.items()},
        forbidden=forbidden,
        stub_sha256=text.get("stub_sha256"),
    )


def _load_text(exercise_id: str) -> dict[str, Any]:
    source = resources.files("grader.course").joinpath("hints", f"{exercise_id}.toml")
    return tomllib.loads(source.read_text(encoding="utf-8"))
