"""The local progress store (.descent/progress.json): hints seen, latest results, atomic writes."""

from __future__ import annotations

import json
import math
import os
import stat
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

__all__ = ["ProgressStore"]

# Far above what a course's hints and results take; a bigger file is not ours.
_MAX_BYTES = 4 * 1024**2
_SHOWN = ".descent/progress.json"
# Windows refuses to replace a file another process has open (the tutor reading it, a
# virus scanner): the replace is retried this many times, a moment apart.
_REPLACE_TRIES = 20
_REPLACE_PAUSE = 0.05


class _Unusable(Exception):
    """The progress file (or its folder) exists but cannot serve as the store; says why."""


class ProgressStore:
    """A small JSON document in the course folder; a crash mid-write never corrupts it.

    A file that cannot be read or does not have the store's shape is renamed to
    `progress.json.broken-<time>` (never deleted) and the store starts afresh; the warnings
    saying so wait in `take_warnings` for the caller to show.
    """

    def __init__(self, course: Path) -> None:
        self.path = course / ".descent" / "progress.json"
        self._warnings: list[str] = []

    def take_warnings(self) -> list[str]:
        """What went wrong with the file since the last call, in words for the student."""
        warnings, self._warnings = self._warnings, []
        return warnings

    def show_warnings(self) -> None:
        """Print the warnings to stderr, where they cannot spoil a command's JSON output."""
        warnings = self.take_warnings()
        if warnings:
            console = Console(stderr=True)
            for warning in warnings:
                console.print(f"[bold yellow]warning:[/] {escape(warning)}", highlight=False)

    def load(self) -> dict[str, Any]:
        folder = self.path.parent
        try:
            if folder.exists() and not folder.is_dir():
                self._set_aside(folder, ".descent", "is not a folder")
                return {}
            return _checked(_read(self.path))
        except FileNotFoundError:
            return {}
        except _Unusable as exc:
            self._set_aside(self.path, _SHOWN, str(exc))
            return {}

    def save(self, data: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".progress-")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, indent=1, sort_keys=True)
                out.flush()
                os.fsync(out.fileno())
            _replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def hints_seen(self, test: str) -> int:
        return int(self.load().get("hints", {}).get(test, 0))

    def reveal_hint(self, test: str, tiers: int) -> int:
        """Record one more hint tier seen for `test`; returns the tier now shown (1-based)."""
        data = self.load()
        hints = data.setdefault("hints", {})
        shown = min(int(hints.get(test, 0)) + 1, tiers)
        hints[test] = shown
        self.save(data)
        return shown

    def record_results(self, results: dict[str, Any]) -> None:
        """Remember the latest verdict per test (for the tutor's progress view)."""
        data = self.load()
        data.setdefault("results", {}).update(results)
        self.save(data)

    def _set_aside(self, target: Path, shown: str, why: str) -> None:
        """Rename `target` out of the way (never over another file), and say so."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = target.with_name(f"{target.name}.broken-{stamp}")
        number = 1
        while os.path.lexists(aside):
            number += 1
            aside = target.with_name(f"{target.name}.broken-{stamp}-{number}")
        try:
            os.rename(target, aside)
        except FileNotFoundError:
            return  # another descent process set it aside a moment ago
        except OSError as exc:
            # Kept where it is: the next save fails too (as it should) rather than lose it.
            self._warnings.append(
                f"{shown} {why} and could not be moved aside ({exc.strerror}); move or delete "
                "it yourself so that descent can record your hints and results again."
            )
            return
        self._warnings.append(
            f"{shown} {why}; it was moved to {Path(shown).with_name(aside.name)} and a fresh one "
            "started. Your earlier hints and results are kept in that file; delete it when "
            "you no longer need it."
        )


def _replace(source: str, target: Path) -> None:
    """os.replace (atomic on every system), retried while Windows says the target is busy."""
    for _ in range(_REPLACE_TRIES - 1):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            time.sleep(_REPLACE_PAUSE)
    os.replace(source, target)


def _read(path: Path) -> Any:
    """The parsed document; FileNotFoundError when there is none."""
    try:
        # O_NONBLOCK: a FIFO put in its place must not hang the command (Windows has none).
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise _Unusable(f"cannot be read ({exc.strerror})") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise _Unusable("is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise _Unusable("is not a regular file")
        if info.st_size > _MAX_BYTES:
            raise _Unusable(f"is {info.st_size} bytes, far more than progress ever takes")
        data = os.read(fd, _MAX_BYTES + 1)
    except OSError as exc:
        raise _Unusable(f"cannot be read ({exc.strerror})") from None
    finally:
        os.close(fd)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _Unusable("is not text (it holds bytes that are not UTF-8)") from None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise _Unusable(f"is not valid JSON ({exc})") from None


def _checked(data: Any) -> dict[str, Any]:
    """`data` when it has the store's shape; the fields other versions may add are kept."""
    if not isinstance(data, dict):
        raise _Unusable(f"holds a {_kind(data)}, not an object")
    hints = data.get("hints", {})
    if not isinstance(hints, dict):
        raise _Unusable(f'has a {_kind(hints)} for "hints", not an object')
    for test, seen in hints.items():
        if type(seen) is not int or seen < 0:
            raise _Unusable(f'has {seen!r} as the hints seen for {test}, not a count')
    results = data.get("results", {})
    if not isinstance(results, dict):
        raise _Unusable(f'has a {_kind(results)} for "results", not an object')
    for test, record in results.items():
        if not isinstance(record, dict):
            raise _Unusable(f"has a {_kind(record)} as the result of {test}, not an object")
        for key in ("score", "max_score"):
            value = record.get(key, 0.0)
            if type(value) not in (int, float) or not math.isfinite(value):
                raise _Unusable(f"has {value!r} as the {key} of {test}, not a number")
    return data


def _kind(value: Any) -> str:
    return {dict: "object", list: "list", str: "string", bool: "true/false",
            type(None): "null", int: "number", float: "number"}.get(type(value), "value")
