"""Submission names made safe as folder names, and the one check that a path lies in OUT_DIR."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from pathlib import Path

from grader.errors import DescentError
from grader.i18n import _

__all__ = ["RESERVED", "OutsideOutput", "assign_names", "inside", "safe_name"]

# What a run writes in OUT_DIR itself: no submission may be named like any of them (compared
# case-folded, as macOS and Windows file systems do). The journal's SQLite side files too.
RESERVED = frozenset({
    "grades.csv", "junit.xml", "all_results.json", "report.html", "report", "regrade.json",
    "run.json", "journal.sqlite", "journal.sqlite-wal", "journal.sqlite-shm",
    "journal.sqlite-journal", ".staging", "roster_report.csv", "canvas_grades.csv",
    "moodle_grades.csv",
})

_MAX_CHARS = 100
_MAX_BYTES = 200  # under the usual 255-byte limit on a file name, with room for a suffix


class OutsideOutput(DescentError):
    """A path the grader was about to write or delete does not lie inside OUT_DIR."""

    def __init__(self, message: str) -> None:
        super().__init__(message, next_step=_(
            "nothing was written there; check that nothing in OUT_DIR is a link to elsewhere, "
            "then run the same command again"))


def inside(out: Path, *parts: str) -> Path:
    """`out / parts…`, proven to lie strictly inside `out` once links are resolved.

    Every writer and every deletion in OUT_DIR goes through here, so a name that slipped
    past `safe_name` (or a link planted in OUT_DIR) is refused, never followed.
    """
    root = out.resolve()
    path = root.joinpath(*parts)
    resolved = path.resolve()
    if resolved == root or root not in resolved.parents or any(
            part in ("", ".", "..") or "/" in part or "\0" in part for part in parts):
        raise OutsideOutput(_("{path} is not inside {root}").format(path=path, root=root))
    return path


def safe_name(raw: str) -> str:
    """A readable folder name for a submission: letters of any script kept; separators,
    control characters and leading dots replaced by `_`; bounded length."""
    text = unicodedata.normalize("NFC", raw).strip()
    text = "".join("_" if _unsafe(char) else char for char in text)
    stripped = text.lstrip(".")
    text = "_" * (len(text) - len(stripped)) + stripped
    text = text[:_MAX_CHARS]
    while len(text.encode()) > _MAX_BYTES:
        text = text[:-1]
    return text or "_"


def _unsafe(char: str) -> bool:
    # Categories C* (controls, format characters, surrogates, unassigned) and Z[lp] (line
    # and paragraph separators) can hide or reorder what a name shows.
    return char in "/\\" or unicodedata.category(char)[0] == "C" or \
        unicodedata.category(char) in ("Zl", "Zp")


def assign_names(claims: Iterable[tuple[str, int, str]]) -> list[str]:
    """The final name of each claim `(wanted, rank, origin)`, in the order given.

    A name goes to the claim with the lowest rank (a file or folder on disk outranks a
    folder inside a class zip), then the first origin in sorted order; the others get
    `wanted~2`, `wanted~3`, … Reserved names are never given out. Deterministic: the same
    inputs give the same names, whatever order they were found in.
    """
    listed = list(claims)
    taken = set(RESERVED)
    names = [""] * len(listed)
    order = sorted(range(len(listed)), key=lambda i: (listed[i][1], listed[i][2], listed[i][0]))
    for index in order:
        wanted = listed[index][0]
        name, number = wanted, 1
        while name.casefold() in taken:
            number += 1
            name = f"{wanted}~{number}"
        taken.add(name.casefold())
        names[index] = name
    return names
