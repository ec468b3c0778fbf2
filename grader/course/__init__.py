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
from grader.i18n import _

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
    raise UsageError(_("no exercise called {name!r}").format(name=name),
                     next_step=_("choose one of: {known}").format(known=known))


def find_test(name: str) -> tuple[Exercise, str]:
    """An exercise and function from a test name `"<exercise id>:<function>"`."""
    exercise_name, _colon, function = name.partition(":")
    entry = find_exercise(exercise_name)
    if not function:
        raise UsageError(
            _("{name!r} names an exercise, not a test").format(name=name),
            next_step=_("give the test as EXERCISE:FUNCTION, e.g. {example}").format(
                example=entry.test_name(entry.checks[0])),
        )
    entry.check(function)
    return entry, function
