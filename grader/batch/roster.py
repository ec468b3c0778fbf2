"""Who each submission belongs to: names in LMS downloads, instructors' rosters, and the match."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from grader.errors import UsageError
from grader.i18n import N_, _
from grader.model import SubmissionResult, Verdict

__all__ = [
    "Identity",
    "Matching",
    "Placed",
    "Roster",
    "Student",
    "match",
    "parse_lms_name",
    "read_roster",
    "split_canvas_name",
]

# Canvas's bulk download (lib/content_zipper.rb in instructure/canvas-lms, `get_filename`
# and `add_upload_submission`) names each uploaded file
#   <sortable name>[_LATE]_<user id>_<attachment id>_<file name>
# the name lower-cased with every non-word character removed ("Ortiz, Gina" -> "ortizgina")
# and `_<digits>_` taken out of it, so that the ids can be found. Older Canvas versions
# wrote `late` in lower case. With anonymous grading the name is left
# out and the id is `anon_<anonymous id>`.
_CANVAS = re.compile(
    r"(?:(?P<name>[^_].*?)_)??(?:(?P<late>late)_)?(?P<user>\d+|anon_[0-9A-Za-z]+)"
    r"_(?P<attachment>\d+)_(?P<original>.*)", re.IGNORECASE | re.DOTALL)
# Moodle's "Download all submissions" (mod/assign/locallib.php, `download_submissions`) names
# a folder per student and plugin (or prefixes each file, when not downloading as folders)
#   <full name, "_" turned to " ">_<participant id>_assignsubmission_<plugin>_[<file name>]
# The participant id is the assignment's own (the grading worksheet's "Participant N"), not
# the Moodle user id. Under blind marking the name is the word "Participant".
_MOODLE = re.compile(r"(?P<name>[^_]+)_(?P<user>\d+)_assignsubmission_(?P<plugin>[a-z]+)_"
                     r"(?P<original>.*)", re.DOTALL)


@dataclass(frozen=True)
class Identity:
    """The student an LMS download named a submission after."""

    lms: str  # "canvas" or "moodle"
    student_id: str  # Canvas user id (or anon_…), Moodle participant id
    name: str  # as the download wrote it: "ortizgina" (Canvas), "Gina Ortiz" (Moodle)
    late: bool = False

    def to_dict(self) -> dict[str, str | bool]:
        return {"lms": self.lms, "student_id": self.student_id, "name": self.name,
                "late": self.late}


def parse_lms_name(name: str) -> Identity | None:
    """The student a Canvas or Moodle download names `name` after; None for other names."""
    # Moodle first: its marker is unmistakable, and a Moodle file name after it may hold
    # digits that read as Canvas ids.
    found = _MOODLE.fullmatch(name)
    if found:
        return Identity("moodle", found["user"], found["name"].strip())
    found = _CANVAS.fullmatch(name)
    if found:
        return Identity("canvas", found["user"], found["name"] or "", found["late"] is not None)
    return None


def split_canvas_name(name: str) -> tuple[str, int, str] | None:
    """A Canvas download file's (student prefix with ids, attachment id, uploaded file name):
    `ortizgina_LATE_1234_5678_01_quadratic.py` → (`ortizgina_LATE_1234`, 5678,
    `01_quadratic.py`); None for other names. Moodle's names are never taken for Canvas's."""
    if _MOODLE.fullmatch(name):
        return None
    found = _CANVAS.fullmatch(name)
    if found is None:
        return None
    return name[: found.start("attachment") - 1], int(found["attachment"]), found["original"]


@dataclass(frozen=True)
class Student:
    """One row of a roster: whatever ids the LMS export holds (empty when it has none)."""

    name: str
    canvas_id: str = ""  # Canvas's "ID"
    sis_user_id: str = ""
    login: str = ""  # Canvas's "SIS Login ID", Moodle's "Username"
    email: str = ""
    id_number: str = ""  # Moodle's "ID number"
    participant: str = ""  # Moodle's assignment participant id ("Participant 1234")
    section: str = ""


@dataclass(frozen=True)
class Roster:
    """The students of a class, as an LMS exported them."""

    source: str
    kind: str  # "canvas" (a gradebook export) or "moodle" (any other accepted roster)
    students: tuple[Student, ...]


# Header (case-folded, spaces collapsed) -> Student field. Canvas's gradebook export has
# Student, ID, SIS User ID, SIS Login ID, Section (Integration ID may follow); Moodle's
# participants and grades exports have First name, Last name / Surname, ID number, Email
# address, Username; its grading worksheet has Identifier ("Participant N") and Full name.
_HEADERS = {
    "student": "name", "full name": "name", "name": "name",
    "first name": "first", "last name": "last", "surname": "last",
    "id": "canvas_id", "sis user id": "sis_user_id",
    "sis login id": "login", "username": "login", "login": "login", "login id": "login",
    "email address": "email", "email": "email", "e-mail": "email", "e-mail address": "email",
    "id number": "id_number", "identifier": "participant", "section": "section",
}
_IDENTIFYING = ("canvas_id", "sis_user_id", "login", "email", "id_number", "participant")
_EXPECTED = N_("pass a Canvas gradebook export (Student, ID, SIS User ID, SIS Login ID, "
               "Section) or a Moodle participants export, grades export or grading worksheet "
               "(First name, Last name, Email address, ID number, Username, or Identifier)")
# Canvas's gradebook export: the preview user every course has, and the rows under the
# header that describe assignments (the importer skips the same ones).
_CANVAS_TEST_STUDENT = "Student, Test"
_EMPTY_OR_POSTING = re.compile(r"\s*(muted|manual posting.*)?\s*", re.IGNORECASE)


def read_roster(path: Path) -> Roster:
    """The students listed in `path`; a UsageError naming the file when it cannot be used."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise UsageError(_("--roster {path} cannot be read ({error})").format(
            path=path, error=exc.strerror), next_step=_(_EXPECTED)) from exc
    except UnicodeDecodeError as exc:
        raise UsageError(_("--roster {path} is not UTF-8 text (byte {byte})").format(
            path=path, byte=exc.start),
            next_step=_("export the roster again as CSV (UTF-8)")) from exc
    lines = text.splitlines()
    first = lines[0] if lines else ""
    # Spreadsheets in locales with a decimal comma save CSV with semicolons.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = [[cell.strip() for cell in row] for row in csv.reader(lines, delimiter=delimiter)]
    header = rows[0] if rows else []
    fields = {_HEADERS[key]: i for i, cell in reversed(list(enumerate(header)))
              if (key := " ".join(cell.casefold().split())) in _HEADERS}
    if not any(name in fields for name in _IDENTIFYING):
        shown = ", ".join(header[:8]) or _("nothing")
        raise UsageError(_("--roster {path} has no column that identifies a student (its "
                           "header: {header})").format(path=path, header=shown),
                         next_step=_(_EXPECTED))
    students = [student for row in rows[1:] if (student := _student(row, fields)) is not None]
    if not students:
        raise UsageError(_("--roster {path} lists no students").format(path=path),
                         next_step=_(_EXPECTED))
    _refuse_repeats(path, students)
    kind = "canvas" if "canvas_id" in fields and header[0] == "Student" else "moodle"
    return Roster(str(path), kind, tuple(students))


def _student(row: list[str], fields: dict[str, int]) -> Student | None:
    def cell(name: str) -> str:
        index = fields.get(name)
        return row[index] if index is not None and index < len(row) else ""

    if all(_EMPTY_OR_POSTING.fullmatch(value) for value in row) or \
            row[0].casefold().startswith("points possible") or cell("name") == _CANVAS_TEST_STUDENT:
        return None
    name = cell("name") or " ".join(part for part in (cell("first"), cell("last")) if part)
    participant = re.search(r"(\d+)\s*$", cell("participant"))
    student = Student(name=name, canvas_id=cell("canvas_id"), sis_user_id=cell("sis_user_id"),
                      login=cell("login"), email=cell("email"), id_number=cell("id_number"),
                      participant=participant[1] if participant else "",
                      section=cell("section"))
    return student if any(getattr(student, key) for key in _IDENTIFYING) or name else None


def _refuse_repeats(path: Path, students: list[Student]) -> None:
    for key in _IDENTIFYING:
        seen: set[str] = set()
        for student in students:
            value = getattr(student, key).casefold()
            if value and value in seen:
                raise UsageError(_("--roster {path} lists {value!r} twice").format(
                    path=path, value=getattr(student, key)),
                    next_step=_("export the roster again, or remove the repeated row"))
            seen.add(value)


@dataclass(frozen=True)
class Placed:
    """A student and their submissions; `result` is the one that counts (None: no
    submission, or several that each attempted something, which nobody should pick blindly)."""

    student: Student
    result: SubmissionResult | None
    submissions: tuple[str, ...]
    how: str  # how the submissions were matched to the student
    late: bool = False


@dataclass(frozen=True)
class Matching:
    """Every student with their submissions, and the submissions no student was found for."""

    students: tuple[Placed, ...]
    unmatched: tuple[SubmissionResult, ...]
    roster: Roster | None = None
    identities: dict[str, Identity] = field(default_factory=dict)

    @property
    def missing(self) -> list[Student]:
        return [p.student for p in self.students if not p.submissions]

    @property
    def ambiguous(self) -> list[Placed]:
        return [p for p in self.students if p.result is None and len(p.submissions) > 1]

    def to_dict(self) -> dict[str, Any]:
        """For all_results.json: the roster used, each student's submissions, the rest."""
        return {
            "source": self.roster.source if self.roster else None,
            "students": [{**asdict(p.student), "submissions": list(p.submissions),
                          "counted": p.result.name if p.result else None, "match": p.how,
                          "late": p.late} for p in self.students],
            "unmatched": [r.name for r in self.unmatched],
            "identities": {name: i.to_dict() for name, i in sorted(self.identities.items())},
        }


def match(results: Iterable[SubmissionResult], roster: Roster | None) -> Matching:
    """Each submission's student: by the ids in its LMS name, or by its name as a roster id.

    Without a roster, students are those the LMS names identify (Canvas user id, Moodle
    participant id). A submission matched to nobody is kept in `unmatched`, never dropped.
    """
    listed = sorted(results, key=lambda r: r.name)
    identities = {r.name: found for r in listed if (found := parse_lms_name(r.name))}
    students = list(roster.students) if roster else []
    owners: dict[int, list[tuple[SubmissionResult, str]]] = {}
    unmatched: list[SubmissionResult] = []
    for result in listed:
        identity = identities.get(result.name)
        if roster is None:
            found = _from_identity(identity, students)
        else:
            found = _lookup(result.name, identity, students)
        if found is None:
            unmatched.append(result)
        else:
            owners.setdefault(found[0], []).append((result, found[1]))
    placed = [_place(student, owners.get(i, []), identities) for i, student in enumerate(students)]
    return Matching(tuple(placed), tuple(unmatched), roster, identities)


def _from_identity(identity: Identity | None, students: list[Student]) -> tuple[int, str] | None:
    """Without a roster: the student the LMS name identifies, added on first sight."""
    if identity is None or identity.student_id.startswith("anon_"):
        return None
    key = "canvas_id" if identity.lms == "canvas" else "participant"
    for i, student in enumerate(students):
        if getattr(student, key) == identity.student_id:
            return i, f"{identity.lms} name"
    students.append(replace(Student(identity.name), **{key: identity.student_id}))
    return len(students) - 1, f"{identity.lms} name"


def _lookup(name: str, identity: Identity | None,
            students: list[Student]) -> tuple[int, str] | None:
    """The one roster student a submission belongs to, and how that was decided."""
    if identity is not None:
        key, how = (("canvas_id", "Canvas user id") if identity.lms == "canvas"
                    else ("participant", "Moodle participant id"))
        found = _unique(students, lambda s: getattr(s, key) == identity.student_id)
        if found is not None or any(getattr(s, key) for s in students):
            return None if found is None else (found, how)
        # A roster without these ids (a Moodle participants export has no participant ids):
        # the name as the LMS wrote it, when exactly one student has it.
        squash = _canvas_squash if identity.lms == "canvas" else _plain
        found = _unique(students,
                        lambda s: bool(s.name) and squash(s.name) == squash(identity.name))
        return None if found is None else (found, "name")
    wanted = _plain(name)
    for key, how in (("canvas_id", "Canvas user id"), ("sis_user_id", "SIS user id"),
                     ("login", "login"), ("email", "email"), ("id_number", "ID number")):
        found = _unique(students, lambda s, key=key: bool(getattr(s, key))
                        and _plain(getattr(s, key)) == wanted)
        if found is not None:
            return found, how
    found = _unique(students, lambda s: bool(s.email) and _plain(s.email.split("@")[0]) == wanted)
    return None if found is None else (found, "email")


def _unique(students: list[Student], test: Callable[[Student], bool]) -> int | None:
    hits = [i for i, student in enumerate(students) if test(student)]
    return hits[0] if len(hits) == 1 else None


def _plain(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _canvas_squash(name: str) -> str:
    """A roster name as Canvas writes it in downloads: "Ortiz, Gina" -> "ortizgina"."""
    text = unicodedata.normalize("NFC", name).casefold()
    if "," not in text:  # "Gina Ortiz": Canvas's sortable name puts the last name first
        parts = text.rsplit(" ", 1)
        text = ", ".join(reversed(parts))
    return re.sub(r"\W", "", text)


def _place(student: Student, owned: list[tuple[SubmissionResult, str]],
           identities: dict[str, Identity]) -> Placed:
    names = tuple(result.name for result, _ in owned)
    if not owned:
        return Placed(student, None, names, "no submission")
    # A second folder that holds nothing (Moodle's online-text folder beside the files) does
    # not make a student ambiguous; two that each attempted something do.
    tried = [(r, how) for r, how in owned
             if any(t.verdict is not Verdict.NOT_ATTEMPTED for t in r.tests)]
    if len(tried) > 1:
        return Placed(student, None, names, "several submissions, none counted")
    result, how = (tried or owned)[0]
    identity = identities.get(result.name)
    return Placed(student, result, names, how, identity is not None and identity.late)
