"""Child side of tracing: a student's helper replaced, for one call, by the parent's answers."""

# The worker never holds a truth (see grader.isolation.zygote): a substituted helper is a table
# of the values the parent worked out for the inputs met so far. On new inputs it raises
# SubstituteMiss with them; the parent adds the true value and calls again (grader.tracing).

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from typing import Any

from grader.inputs import rebuild_input
from grader.wire import encode_answer

__all__ = ["SubstituteMiss", "input_key", "substituted"]


class SubstituteMiss(BaseException):
    """A substituted helper was called on inputs the parent has not answered yet."""


def input_key(args: tuple[Any, ...]) -> str:
    """The helper's inputs as the text both sides use to look an answer up."""
    return json.dumps(encode_answer(list(args)), sort_keys=True)


@contextlib.contextmanager
def substituted(namespace: dict[str, Any], substitute: Any) -> Iterator[None]:
    """Within the block, each name in `substitute` ({name: {input key: value}}) answers from
    its table, and raises SubstituteMiss (naming itself and the input key) on other inputs."""
    if not isinstance(substitute, dict) or not substitute:
        yield
        return
    saved = {name: namespace[name] for name in substitute if name in namespace}
    try:
        for name, table in substitute.items():
            namespace[str(name)] = _from_table(str(name), table if isinstance(table, dict)
                                               else {})
        yield
    finally:
        for name in substitute:
            if name in saved:
                namespace[name] = saved[name]
            else:
                namespace.pop(name, None)


def _from_table(name: str, table: dict[str, Any]) -> Callable[..., Any]:
    def helper(*args: Any) -> Any:
        key = input_key(args)
        if key not in table:
            raise SubstituteMiss(json.dumps({"helper": name, "key": key}))
        return rebuild_input(table[key])

    return helper
