"""Rosters and LMS download names: who each submission belongs to, and who handed in nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.batch.roster import Identity, match, parse_lms_name, read_roster
from grader.errors import UsageError
from grader.model import CheckResult, SubmissionResult, Verdict
from grader.render.status import submission_status


def result(name: str, *verdicts: Verdict, points: float = 2.0) -> SubmissionResult:
    """A submission with one 2-point test per verdict (`points` of them when passed)."""
    tests = tuple(CheckResult(exercise="01_quadratic", function=f"f{i}", verdict=v,
                              score=points if v is Verdict.PASSED else 0.0, max_score=2.0,
                              rationale=v.value)
                  for i, v in enumerate(verdicts or (Verdict.PASSED,)))
    return SubmissionResult(name=name, tests=tests, execution_time=0.0, grader_version="t",
                            seed=0, isolation="test")


@pytest.mark.parametrize(
    ("name", "identity"),
    [
        # Canvas: today's `_LATE_`, the older lower-case form, file names holding digits and
        # underscores, anonymous grading, and a name made unique by intake (`~2`).
        ("ortizgina_1234_5678_hw3", Identity("canvas", "1234", "ortizgina")),
        ("ortizgina_LATE_1234_5678_hw3", Identity("canvas", "1234", "ortizgina", late=True)),
        ("ortizgina_late_1234_5678_hw3", Identity("canvas", "1234", "ortizgina", late=True)),
        ("ortizgina_1234_5678_01_2_my_work", Identity("canvas", "1234", "ortizgina")),
        ("ångströmzoë_42_43_exercises~2", Identity("canvas", "42", "ångströmzoë")),
        ("LATE_anon_Xy7Q2_5678_hw3", Identity("canvas", "anon_Xy7Q2", "", late=True)),
        # Moodle: a folder per student (name with a trailing `_`) or a prefix per file; team
        # submissions put the group first; a file name after the prefix may hold digits.
        ("Gina Ortiz_1234_assignsubmission_file_", Identity("moodle", "1234", "Gina Ortiz")),
        ("Gina Ortiz_1234_assignsubmission_file_hw3", Identity("moodle", "1234", "Gina Ortiz")),
        ("Zoë Ångström_9_assignsubmission_file_01_2_x", Identity("moodle", "9", "Zoë Ångström")),
        ("Team A-Bo Lee_77_assignsubmission_onlinetext_",
         Identity("moodle", "77", "Team A-Bo Lee")),
        # The student chooses only the file name at the end: it cannot move the ids.
        ("ortizgina_1234_5678_leebo_2222_6666_x", Identity("canvas", "1234", "ortizgina")),
        ("Gina Ortiz_1234_assignsubmission_file_Bo Lee_2222_assignsubmission_file_x",
         Identity("moodle", "1234", "Gina Ortiz")),
        # Anything else is kept as it is.
        ("alice", None), ("s00", None), ("hw3_final", None), ("ortizgina_hw3", None),
    ],
)
def test_lms_download_names_are_recognised(name: str, identity: Identity | None):
    assert parse_lms_name(name) == identity


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


CANVAS_EXPORT = (
    "Student,ID,SIS User ID,SIS Login ID,Section,HW3 (12345),Current Score\n"
    "    Points Possible,,,,,20,(read only)\n"
    '"Ortiz, Gina",1234,S-1,gortiz,Section A,,\n'
    '"Lee, Bo",2222,S-2,blee,Section B,,\n'
    '"Ångström, Zoë",3333,S-3,zangstrom,Section A,,\n'
    '"Student, Test",9999,,,Section A,,\n'
)


def test_a_canvas_gradebook_export_is_a_roster(tmp_path: Path):
    roster = read_roster(_write(tmp_path / "canvas.csv", "\ufeff" + CANVAS_EXPORT))
    assert roster.kind == "canvas"
    assert [(s.name, s.canvas_id, s.sis_user_id, s.login, s.section) for s in roster.students] \
        == [("Ortiz, Gina", "1234", "S-1", "gortiz", "Section A"),
            ("Lee, Bo", "2222", "S-2", "blee", "Section B"),
            ("Ångström, Zoë", "3333", "S-3", "zangstrom", "Section A")]


def test_moodle_exports_are_rosters(tmp_path: Path):
    participants = read_roster(_write(tmp_path / "participants.csv",
                                      "First name,Last name,ID number,Email address\n"
                                      "Gina,Ortiz,S-1,gina@uni.edu\n"
                                      "Bo,Lee,,bo@uni.edu\n"))
    assert participants.kind == "moodle"
    assert [(s.name, s.id_number, s.email) for s in participants.students] == [
        ("Gina Ortiz", "S-1", "gina@uni.edu"), ("Bo Lee", "", "bo@uni.edu")]
    worksheet = read_roster(_write(tmp_path / "worksheet.csv", (
        "Identifier,Full name,Email address,Status,Grade,Maximum Grade\n"
        "Participant 1234,Gina Ortiz,gina@uni.edu,Submitted,,20.00\n")))
    (gina,) = worksheet.students
    assert (gina.participant, gina.name, gina.email) == ("1234", "Gina Ortiz", "gina@uni.edu")
    semicolons = read_roster(_write(tmp_path / "semi.csv", "Username;Email address\nbo;b@x\n"))
    assert semicolons.students[0].login == "bo"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Name,Grade\nGina,3\n", "has no column that identifies a student (its header: Name, "
         "Grade)"),
        ("Student,ID,SIS User ID,SIS Login ID,Section\n", "lists no students"),
        ("Email address\na@x\nA@X\n", "lists 'A@X' twice"),
        ("", "has no column that identifies a student"),
    ],
)
def test_a_roster_that_cannot_be_used_is_a_usage_error(tmp_path: Path, text: str, words: str):
    path = _write(tmp_path / "roster.csv", text)
    with pytest.raises(UsageError) as caught:
        read_roster(path)
    assert str(path) in caught.value.message and words in caught.value.message
    expected = "remove the repeated row" if "twice" in words else "SIS Login ID"
    assert expected in (caught.value.next_step or "")  # the columns it expects, or the fix


def test_an_unreadable_roster_is_a_usage_error(tmp_path: Path):
    (tmp_path / "latin1.csv").write_bytes("Email address\nzo\xeb@x\n".encode("latin-1"))
    for path in (tmp_path / "missing.csv", tmp_path / "latin1.csv"):
        with pytest.raises(UsageError, match=str(path)):
            read_roster(path)


def test_submissions_match_by_canvas_id_login_email_or_name(tmp_path: Path):
    roster = read_roster(_write(tmp_path / "canvas.csv", CANVAS_EXPORT))
    results = [result("ortizgina_LATE_1234_5678_hw3"), result("blee"),
               result("stranger_4444_1_hw3"), result("mystery")]
    matching = match(results, roster)
    by_name = {p.student.name: p for p in matching.students}
    assert by_name["Ortiz, Gina"].result.name == "ortizgina_LATE_1234_5678_hw3"
    assert (by_name["Ortiz, Gina"].how, by_name["Ortiz, Gina"].late) == ("Canvas user id", True)
    assert (by_name["Lee, Bo"].result.name, by_name["Lee, Bo"].how) == ("blee", "login")
    assert [s.name for s in matching.missing] == ["Ångström, Zoë"]
    # Never dropped: the Canvas id no roster row has, and a name no id matches.
    assert [r.name for r in matching.unmatched] == ["mystery", "stranger_4444_1_hw3"]


def test_moodle_folders_match_by_participant_id_or_by_name(tmp_path: Path):
    participants = read_roster(_write(tmp_path / "p.csv", "First name,Surname,Email address\n"
                                      "Gina,Ortiz,gina@uni.edu\nZoë,Ångström,zoe@uni.edu\n"))
    results = [result("Gina Ortiz_1234_assignsubmission_file_"),
               result("Zoë Ångström_77_assignsubmission_file_")]
    matching = match(results, participants)
    assert [(p.student.email, p.result.name, p.how) for p in matching.students] == [
        ("gina@uni.edu", "Gina Ortiz_1234_assignsubmission_file_", "name"),
        ("zoe@uni.edu", "Zoë Ångström_77_assignsubmission_file_", "name")]
    worksheet = read_roster(_write(tmp_path / "w.csv", "Identifier,Full name,Email address\n"
                                   "Participant 77,Zoë Ångström,zoe@uni.edu\n"))
    matching = match(results, worksheet)
    assert [(p.student.email, p.how) for p in matching.students] == [
        ("zoe@uni.edu", "Moodle participant id")]
    # The worksheet has participant ids: Gina's id is not in it, so her name is not tried.
    assert [r.name for r in matching.unmatched] == ["Gina Ortiz_1234_assignsubmission_file_"]


def test_without_a_roster_the_lms_names_are_the_students():
    results = [result("ortizgina_1234_5678_a"), result("ortizgina_1234_5679_b",
                                                       Verdict.NOT_ATTEMPTED),
               result("anon_Xy7Q2_5678_hw3"), result("alice")]
    matching = match(results, None)
    (gina,) = matching.students
    assert (gina.student.canvas_id, gina.student.name) == ("1234", "ortizgina")
    # The second file attempted nothing: it does not make the first one ambiguous.
    assert gina.result.name == "ortizgina_1234_5678_a"
    assert gina.submissions == ("ortizgina_1234_5678_a", "ortizgina_1234_5679_b")
    assert [r.name for r in matching.unmatched] == ["alice", "anon_Xy7Q2_5678_hw3"]


def test_two_attempts_by_one_student_are_counted_for_neither():
    matching = match([result("ortizgina_1234_5678_a"),
                      result("ortizgina_1234_5679_b", Verdict.FAILED)], None)
    (gina,) = matching.ambiguous
    assert gina.result is None and len(gina.submissions) == 2


@pytest.mark.parametrize(
    ("verdicts", "status"),
    [
        ((Verdict.PASSED, Verdict.PASSED), "passed"),
        ((Verdict.PASSED, Verdict.NOT_ATTEMPTED), "not attempted"),
        ((Verdict.NOT_ATTEMPTED, Verdict.UNDECIDED), "undecided"),
        ((Verdict.NOT_ATTEMPTED, Verdict.FAILED, Verdict.UNDECIDED), "failed"),
        ((Verdict.FAILED, Verdict.ERROR), "error"),
    ],
)
def test_the_status_names_the_worst_reason_points_were_lost(verdicts, status: str):
    assert submission_status(result("s", *verdicts)) == status
