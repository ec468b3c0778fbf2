"""What a student's call raised, as plain text, and the known kinds of errors recognised in it."""

# The text comes from the student's process: any code can raise any message. It is only ever
# cut to a bounded length and matched against fixed patterns, never parsed or evaluated, and
# naming a mistake from it never changes a verdict.

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["MESSAGE_CHARS", "RaisedError", "is_shape_error", "reproduce"]

# Longer than any NumPy or torch shape message; a longer one is not one of them.
MESSAGE_CHARS = 500
_TYPES = frozenset({"ValueError", "RuntimeError", "LinAlgError"})
# Messages of NumPy 2 and torch 2 when operands' shapes do not fit (or a matrix cannot be
# inverted, as X·Xᵀ of a tall X cannot): anchored, without nested repetition.
_SHAPE_PATTERNS = tuple(re.compile(pattern) for pattern in (
    r"^(matmul|solve1?|inv|det): Input operand \d has a mismatch in its core dimension \d+, "
    r"with gufunc signature \S+ \(size \d+ is different from \d+\)$",
    r"^shapes \([\d, ]*\) and \([\d, ]*\) not aligned: \d+ \(dim \d\) != \d+ \(dim \d\)$",
    r"^operands could not be broadcast together with shapes \([\d, ]*\) \([\d, ]*\) ?$",
    r"^mat1 and mat2 shapes cannot be multiplied \(\d+x\d+ and \d+x\d+\)$",
    r"^size mismatch, got input \(\d+\), mat \(\d+x\d+\), vec \(\d+\)$",
    r"^The size of tensor a \(\d+\) must match the size of tensor b \(\d+\) at non-singleton "
    r"dimension \d+$",
    r"^Singular matrix$",
    r"^Last 2 dimensions of the array must be square$",
))


@dataclass(frozen=True)
class RaisedError:
    """An exception raised in the child, as the plain data it sent back: never the object."""

    type: str
    message: str
    line: int | None = None

    @classmethod
    def of(cls, error: dict[str, Any]) -> RaisedError:
        """From a call outcome's `error` (already plain strings), cut to known bounds."""
        line = error.get("line")
        return cls(str(error.get("type", ""))[:80], str(error.get("message", ""))[:MESSAGE_CHARS],
                   line if type(line) is int else None)


def is_shape_error(error: RaisedError) -> bool:
    """Whether `error` reads as NumPy's or torch's own report of operands that do not fit."""
    if error.type not in _TYPES or len(error.message) >= MESSAGE_CHARS:
        return False
    return any(pattern.match(error.message) for pattern in _SHAPE_PATTERNS)


def reproduce(formula: Callable[[Any], Any], case: Any) -> RaisedError | None:
    """What `formula` (a trusted mistaken formula, run in the parent) raises on `case`, if
    it raises an ordinary error; None when it returns a value."""
    try:
        formula(case)
    except (ArithmeticError, ValueError, TypeError, IndexError, RuntimeError) as exc:
        return RaisedError(type(exc).__name__, str(exc)[:MESSAGE_CHARS])
    return None
