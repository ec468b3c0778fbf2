"""The roster and gradebook options `grade` and `merge` share, and what their summary says."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from grader.batch.outputs import CANVAS_GRADES, MOODLE_GRADES, ROSTER_REPORT
from grader.batch.roster import Matching, Roster, read_roster
from grader.i18n import _, ngettext
from grader.render.gradebooks import DEFAULT_ITEM, GradebookNames

__all__ = ["add_roster_options", "print_roster_summary", "roster_from"]

_SHOWN = 12  # names listed on screen; roster_report.csv has them all


def add_roster_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--roster", type=Path, metavar="CSV",
                        help=_("the class list exported from Canvas (Grades → Export) or "
                               "Moodle (participants, grades export or grading worksheet): "
                               "maps submissions to students by user id, email or login"))
    parser.add_argument("--canvas-assignment", default=DEFAULT_ITEM, metavar="'NAME (ID)'",
                        help=_("the column of canvas_grades.csv, as Canvas's export heads it, "
                               "e.g. 'HW3 (12345)' (default: {default!r}, a new assignment)")
                        .format(default=DEFAULT_ITEM))
    parser.add_argument("--moodle-item", default=DEFAULT_ITEM, metavar="NAME",
                        help=_("the grade column's title in moodle_grades.csv"))


def roster_from(args: argparse.Namespace) -> tuple[Roster | None, GradebookNames]:
    """The roster read (a UsageError before any grading when it cannot be used) and names;
    a namespace without these options (built by a caller, not the parser) means none."""
    path = getattr(args, "roster", None)
    roster = read_roster(path) if path is not None else None
    return roster, GradebookNames(getattr(args, "canvas_assignment", DEFAULT_ITEM),
                                  getattr(args, "moodle_item", DEFAULT_ITEM))


def print_roster_summary(console: Console, matching: Matching, out: Path) -> None:
    """Who was matched, who was not, and which gradebook files were written."""
    if matching.roster is not None:
        counted = sum(1 for p in matching.students if p.result is not None)
        console.print(ngettext(
            "Roster {source}: {counted} of {total} student has a graded submission.",
            "Roster {source}: {counted} of {total} students have a graded submission.",
            len(matching.students)).format(source=escape(matching.roster.source),
                                           counted=counted, total=len(matching.students)))
        _names(console, _("no submission from"),
               [s.name or _("(no name)") for s in matching.missing])
    _names(console, _("several submissions, none counted, for"),
           [f"{p.student.name} ({'; '.join(p.submissions)})" for p in matching.ambiguous])
    _names(console, _("no student found for"), [r.name for r in matching.unmatched])
    written = [name for name in (CANVAS_GRADES, MOODLE_GRADES) if (out / name).is_file()]
    if written:
        console.print(_("Gradebooks to import: {files}.").format(
            files=", ".join(f"{out}/{n}" for n in written)))
    if MOODLE_GRADES not in written and any(
            i.lms == "moodle" for i in matching.identities.values()):
        console.print(_("{file} needs --roster (Moodle's participants export or grading "
                        "worksheet): Moodle's download names hold no email or username.")
                      .format(file=MOODLE_GRADES))
    console.print(_("Who is who: {path}.").format(path=f"{out}/{ROSTER_REPORT}"))


def _names(console: Console, words: str, names: list[str]) -> None:
    if not names:
        return
    shown = ", ".join(escape(name) for name in names[:_SHOWN])
    more = _(" and {count} more").format(count=len(names) - _SHOWN) if len(names) > _SHOWN else ""
    console.print(f"[yellow]{words}[/] ({len(names)}): {shown}{more}")
