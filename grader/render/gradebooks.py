"""Gradebooks an LMS imports as they are (Canvas's and Moodle's grade CSVs); the roster report."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from grader.batch.roster import Matching, Placed
from grader.i18n import _, ngettext
from grader.model import SubmissionResult
from grader.render.cells import spreadsheet_text
from grader.render.status import submission_status

__all__ = [
    "DEFAULT_ITEM",
    "DEFAULT_NAMES",
    "GradebookNames",
    "canvas_csv",
    "moodle_csv",
    "roster_report_csv",
]

DEFAULT_ITEM = "descent"


@dataclass(frozen=True)
class GradebookNames:
    """What the gradebook column is called in each LMS.

    Canvas: `Title (assignment id)` as its own export heads the column, which fills that
    assignment; a title alone fills the assignment of that title, or makes a new one.
    Moodle: the column title only; the grade item is chosen when importing.
    """

    canvas_assignment: str = DEFAULT_ITEM
    moodle_item: str = DEFAULT_ITEM


DEFAULT_NAMES = GradebookNames()


def _number(value: float) -> str:
    """A score as both LMSs parse it: plain decimal, a dot, no exponent, no float noise."""
    text = f"{round(value, 4):.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    # Minimal quoting, "\r\n" line ends: RFC 4180, what both importers read (names with
    # commas, such as Canvas's "Ortiz, Gina", are quoted).
    csv.writer(buffer).writerows([[spreadsheet_text(cell) for cell in row] for row in rows])
    return buffer.getvalue()


def _max_points(matching: Matching) -> float:
    results = [p.result for p in matching.students if p.result] + list(matching.unmatched)
    return max((r.max_score for r in results), default=0.0)


def canvas_csv(matching: Matching, names: GradebookNames) -> str | None:
    """Canvas's gradebook import (Grades → Import), or None when no student has a Canvas id.

    The columns Canvas's importer reads (app/models/gradebook_importer.rb): `Student`, `ID`
    (the Canvas user id it matches first), `SIS User ID`, `SIS Login ID` (its fallbacks),
    `Section` (the last student column), then the assignment. The `Points Possible` row
    under the header, optional, sets the assignment's points as Canvas's export does. A
    student with no submission, or several, gets an empty cell, which Canvas reads as "no
    change": its own missing-submission policy then applies.
    """
    rows = [p for p in matching.students if p.student.canvas_id or p.student.sis_user_id]
    if not rows:
        return None
    table = [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", names.canvas_assignment],
             ["Points Possible", "", "", "", "", _number(_max_points(matching))]]
    for placed in rows:
        student = placed.student
        table.append([student.name, student.canvas_id, student.sis_user_id, student.login,
                      student.section, "" if placed.result is None else
                      _number(placed.result.score)])
    return _csv(table)


# Moodle's CSV import (grade/import/csv) maps one column to a user field: these, in the order
# descent prefers them, under the headers Moodle's own exports give them.
_MOODLE_IDS = (("email", "Email address"), ("id_number", "ID number"), ("login", "Username"))


def moodle_csv(matching: Matching, names: GradebookNames) -> str | None:
    """Moodle's grade import (Grades → Import → CSV file), or None without a Moodle roster.

    The first column identifies the student (Email address, else ID number, else Username:
    the one most students have; choose it under "Map from", and the same field under "Map
    to"); then `Full name` (leave it ignored), the grade (map it to the grade item), and
    `Feedback` (map it to that item's feedback). Moodle stops the whole import at a row
    whose user it cannot find, so only roster students are written. A student with no
    submission gets 0 and says so (Moodle has no missing-work policy, and an empty cell
    would clear a grade entered by hand); one with several gets no row (decide by hand).
    """
    roster = matching.roster
    if roster is None or roster.kind != "moodle":
        return None
    field, header = max(_MOODLE_IDS, key=lambda pair: sum(
        1 for p in matching.students if getattr(p.student, pair[0])))
    rows = [p for p in matching.students if getattr(p.student, field)]
    if not rows:
        return None
    table = [[header, "Full name", names.moodle_item, "Feedback"]]
    for placed in rows:
        if placed.result is None and placed.submissions:
            continue
        score = "0" if placed.result is None else _number(placed.result.score)
        table.append([getattr(placed.student, field), placed.student.name, score,
                      _feedback(placed)])
    return _csv(table)


def _feedback(placed: Placed) -> str:
    result = placed.result
    if result is None:
        return _("descent found no submission.")
    passed = sum(1 for t in result.tests if t.passed)
    late = " " + _("Submitted late.") if placed.late else ""
    return ngettext("{score}/{max_score}: {passed} of {total} test passed ({status}).",
                    "{score}/{max_score}: {passed} of {total} tests passed ({status}).",
                    len(result.tests)).format(
        score=_number(result.score), max_score=_number(result.max_score), passed=passed,
        total=len(result.tests), status=_(submission_status(result))) + late


_REPORT = ["student", "canvas_id", "sis_user_id", "login", "email", "id_number", "participant",
           "section", "submissions", "counted", "late", "score", "max_score", "status", "match"]


def roster_report_csv(matching: Matching) -> str:
    """Every student and every submission once: matched, missing, several, or unmatched."""
    table = [_REPORT]
    for placed in matching.students:
        student = placed.student
        table.append([student.name, student.canvas_id, student.sis_user_id, student.login,
                      student.email, student.id_number, student.participant, student.section,
                      "; ".join(placed.submissions), *_scored(placed.result, placed.late),
                      placed.how])
    for result in matching.unmatched:
        identity = matching.identities.get(result.name)
        how = (_("no student on the roster") if matching.roster is not None
               else _("name not from Canvas or Moodle") if identity is None
               else _("anonymous: no student id"))
        table.append([identity.name if identity else "", "", "", "", "", "", "", "",
                      result.name, *_scored(result, identity is not None and identity.late),
                      how])
    return _csv(table)


def _scored(result: SubmissionResult | None, late: bool) -> list[str]:
    if result is None:
        return ["", "", "", "", ""]
    return [result.name, "yes" if late else "no", _number(result.score),
            _number(result.max_score), submission_status(result)]
