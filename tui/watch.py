"""Watch mode: which exercises a batch of file-system events touched, and the watching loop."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from pathlib import Path

import anyio
from watchfiles import Change, awatch

__all__ = ["changed_exercises", "watch_exercises"]

# watchfiles waits STEP ms for a quiet moment after an event, and at most DEBOUNCE ms in all:
# an editor's save (temp file, rename, chmod) arrives as one batch, yet a verdict stays quick.
STEP_MS = 30
DEBOUNCE_MS = 400


def changed_exercises(changes: Iterable[tuple[Change, str]], known: Collection[str]) -> list[str]:
    """The exercise ids among changed paths, in first-seen order, each once.

    Only a file named exactly like an exercise counts, so editor droppings such as
    `.03_update_step.py.swp`, `03_update_step.py~` or vim's `4913` never trigger a check.
    A deleted file does count: the exercise then shows as not attempted.
    """
    found: dict[str, None] = {}
    for _change, path in changes:
        name = Path(path).name
        if name.endswith(".py") and name.removesuffix(".py") in known:
            found.setdefault(name.removesuffix(".py"), None)
    return list(found)


async def watch_exercises(folder: Path, known: Collection[str],
                          on_change: Callable[[list[str]], None],
                          stop: anyio.Event | None = None) -> None:
    """Call `on_change` with the exercise ids behind every batch of changes under `folder`."""
    async for changes in awatch(folder, watch_filter=None, debounce=DEBOUNCE_MS, step=STEP_MS,
                                stop_event=stop, recursive=False, rust_timeout=200):
        touched = changed_exercises(changes, known)
        if touched:
            on_change(touched)
