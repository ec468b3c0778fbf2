"""Canvas downloads of loose exercise files: one submission per student, staged as exercises/."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from grader.batch.roster import split_canvas_name

__all__ = ["LooseGroup", "loose_groups"]

# Canvas keeps every upload of a file name and calls the later ones `name-1.py`, `name-2.py`.
_RESUBMITTED = re.compile(r"(?P<stem>.+?)-\d+(?P<suffix>\.py)", re.IGNORECASE)


@dataclass(frozen=True)
class LooseGroup:
    """One student's loose files: the name to grade them under, and exercise file → path."""

    wanted: str
    files: dict[str, Path]


def loose_groups(folder: Path, exercise_files: frozenset[str]) -> list[LooseGroup]:
    """The Canvas-named files at the top of `folder` that are exercise files (`01_quadratic.py`
    uploaded as is), grouped by student; of two uploads of one exercise, the later (higher
    attachment id) counts. Other files are left alone, as they always were."""
    groups: dict[str, dict[str, tuple[int, Path]]] = {}
    try:
        children = sorted(folder.iterdir())
    except OSError:
        return []
    for child in children:
        parts = split_canvas_name(child.name)
        if parts is None or child.is_symlink() or not child.is_file():
            continue
        prefix, attachment, original = parts
        exercise = _exercise_file(original, exercise_files)
        if exercise is None:
            continue
        files = groups.setdefault(prefix, {})
        if exercise not in files or files[exercise][0] < attachment:
            files[exercise] = (attachment, child)
    return [
        # Named as Canvas names a download, so the roster recognises the student, with no
        # attachment id (0), so that a resubmission keeps the name and is regraded as such.
        LooseGroup(f"{prefix}_0_exercises",
                   {name: path for name, (_, path) in sorted(files.items())})
        for prefix, files in sorted(groups.items())
    ]


def _exercise_file(original: str, exercise_files: frozenset[str]) -> str | None:
    if original in exercise_files:
        return original
    resubmitted = _RESUBMITTED.fullmatch(original)
    if resubmitted and (name := resubmitted["stem"] + resubmitted["suffix"]) in exercise_files:
        return name
    return None
