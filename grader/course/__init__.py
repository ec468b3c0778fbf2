"""The bundled course: the catalog of exercises in order, and lookups by id and test name."""

from __future__ import annotations

from grader.course import (
    ex01_quadratic,
    ex02_partials,
    ex03_update_step,
    ex04_sigmoid_delta,
    ex05_torch_gradients,
    ex06_losses,
    ex07_linear_regression,
    ex08_backprop,
    ex09_autodiff,
)
from grader.course.catalog import Exercise, Forbidden
from grader.errors import UsageError

__all__ = ["CATALOG", "Exercise", "Forbidden", "find_exercise", "find_test"]

CATALOG: tuple[Exercise, ...] = tuple(
    module.EXERCISE
    for module in (
        ex01_quadratic,
        ex02_partials,
        ex03_update_step,
        ex04_sigmoid_delta,
        ex05_torch_gradients,
        ex06_losses,
        ex07_linear_regression,
        ex08_backprop,
        ex09_autodiff,
    )
)


def find_exercise(name: str) -> Exercise:
    """An exercise by id (`03_update_step`), number (`03`, `3`) or file name."""
    wanted = name.removesuffix(".py").rsplit("/", 1)[-1]
    for entry in CATALOG:
        number = entry.id.split("_", 1)[0]
        if wanted in (entry.id, number, number.lstrip("0")):
            return entry
    known = ", ".join(e.id for e in CATALOG)
    raise UsageError(f"no exercise called {name!r}", next_step=f"choose one of: {known}")


def find_test(name: str) -> tuple[Exercise, str]:
    """An exercise and function from a test name `"<exercise id>:<function>"`."""
    exercise_name, _, function = name.partition(":")
    entry = find_exercise(exercise_name)
    if not function:
        raise UsageError(
            f"{name!r} names an exercise, not a test",
            next_step="give the test as EXERCISE:FUNCTION, e.g. "
            + entry.test_name(entry.checks[0]),
        )
    entry.check(function)
    return entry, function
