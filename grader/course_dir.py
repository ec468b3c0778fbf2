"""Finding the course folder (the one that holds `exercises/`) from where the user stands."""

from __future__ import annotations

from pathlib import Path

from grader.errors import CourseNotFound
from grader.i18n import _

__all__ = ["find_course"]


def find_course(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` that holds an `exercises/` folder."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "exercises").is_dir():
            return folder
    raise CourseNotFound(
        _("no course found at or above {here} (a course is a folder holding exercises/)")
        .format(here=here),
        next_step=_("cd into your course folder, or pass --course PATH"),
    )
