"""From an LMS download to gradebooks Canvas and Moodle import: real files, real grading."""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from grader.batch.roster import match, read_roster
from grader.batch.run import grade_run
from grader.cli import main
from grader.course import CATALOG
from grader.model import Verdict
from grader.render.gradebooks import GradebookNames, canvas_csv, moodle_csv
from tests.conftest import EXERCISES, FAST, SOLUTIONS
from tests.test_roster import CANVAS_EXPORT, result

TESTS = sum(len(entry.checks) for entry in CATALOG)
POINTS = f"{sum(entry.max_score for entry in CATALOG):g}"  # the whole course, as a CSV cell


def _zip(path: Path, prefix: str, source: Path) -> bytes:
    with zipfile.ZipFile(path, "w") as archive:
        for file in sorted(source.glob("*.py")):
            archive.writestr(f"{prefix}{file.name}", file.read_bytes())
    return path.read_bytes()


def _rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


@pytest.fixture(scope="module")
def canvas_download(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Canvas's "Download Submissions" zip: one file per student upload, as Canvas names them."""
    work = tmp_path_factory.mktemp("canvas")
    inner = {"ortizgina_1234_5678_hw3.zip": _zip(work / "a.zip", "hw3/exercises/", SOLUTIONS),
             "leebo_LATE_2222_6666_exercises.zip": _zip(work / "b.zip", "exercises/", EXERCISES)}
    download = work / "course-hw3 submissions.zip"
    with zipfile.ZipFile(download, "w") as archive:
        for name, data in inner.items():
            archive.writestr(name, data)
    shutil.copytree(EXERCISES, work / "extra" / "mystery" / "exercises")  # not from Canvas
    return work


def test_a_canvas_download_becomes_a_canvas_gradebook(canvas_download: Path, tmp_path: Path):
    out = tmp_path / "out"
    download = canvas_download / "course-hw3 submissions.zip"
    grade_run([download, canvas_download / "extra" / "mystery"], out, settings=FAST, jobs=2)
    # Without a roster: the students are those the file names give, matched by Canvas id.
    assert _rows(out / "canvas_grades.csv") == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "descent"],
        ["Points Possible", "", "", "", "", POINTS],
        ["leebo", "2222", "", "", "", "0"],
        ["ortizgina", "1234", "", "", "", POINTS]]
    assert not (out / "moodle_grades.csv").exists()
    report = {row["submissions"]: row for row in csv.DictReader(
        (out / "roster_report.csv").open(encoding="utf-8"))}
    assert report["leebo_LATE_2222_6666_exercises"]["late"] == "yes"
    assert report["leebo_LATE_2222_6666_exercises"]["status"] == "not attempted"
    assert report["mystery"]["match"] == "name not from Canvas or Moodle"
    everything = json.loads((out / "all_results.json").read_text())
    assert everything["roster"]["unmatched"] == ["mystery"]
    assert everything["roster"]["identities"]["ortizgina_1234_5678_hw3"] == {
        "lms": "canvas", "student_id": "1234", "name": "ortizgina", "late": False}

    # With the class's Canvas export as roster: every student, in its order, by Canvas id.
    roster = tmp_path / "export.csv"
    roster.write_text(CANVAS_EXPORT, encoding="utf-8")
    grade_run([download, canvas_download / "extra" / "mystery"], out, settings=FAST, jobs=2,
              roster=read_roster(roster), names=GradebookNames("HW3 (12345)"))
    text = (out / "canvas_grades.csv").read_text(encoding="utf-8")
    assert text.splitlines()[:3] == [
        "Student,ID,SIS User ID,SIS Login ID,Section,HW3 (12345)",
        f"Points Possible,,,,,{POINTS}",
        f'"Ortiz, Gina",1234,S-1,gortiz,Section A,{POINTS}']
    assert _rows(out / "canvas_grades.csv")[3:] == [
        ["Lee, Bo", "2222", "S-2", "blee", "Section B", "0"],
        ["Ångström, Zoë", "3333", "S-3", "zangstrom", "Section A", ""]]  # no submission
    grades = list(csv.DictReader((out / "grades.csv").open(encoding="utf-8")))
    assert [(g["submission"], g["status"]) for g in grades] == [
        ("leebo_LATE_2222_6666_exercises", "not attempted"), ("mystery", "not attempted"),
        ("ortizgina_1234_5678_hw3", "passed")]


def _moodle_download(folder: Path) -> Path:
    """Moodle's "Download all submissions" unzipped: a folder per student and plugin."""
    gina = folder / "Gina Ortiz_1234_assignsubmission_file_"
    gina.mkdir(parents=True)
    _zip(gina / "hw3.zip", "exercises/", SOLUTIONS)
    shutil.copytree(EXERCISES, folder / "Bo Lee_2222_assignsubmission_file_" / "exercises")
    text = folder / "Bo Lee_2222_assignsubmission_onlinetext_"
    text.mkdir()
    (text / "onlinetext.html").write_text("<p>done!</p>")
    return folder


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich wraps at the terminal's width: paths and names stay on one line."""
    monkeypatch.setenv("COLUMNS", "400")


def test_a_moodle_download_becomes_a_moodle_gradebook(tmp_path: Path, capsys, wide):
    download = _moodle_download(tmp_path / "hw3")
    out = tmp_path / "out"
    roster = tmp_path / "participants.csv"
    roster.write_text("First name,Last name,ID number,Email address\n"
                      "Gina,Ortiz,S-1,gina@uni.edu\n"
                      "Bo,Lee,S-2,bo@uni.edu\n"
                      '"Zoë, Jr.",Ångström,S-3,zoe@uni.edu\n', encoding="utf-8")
    assert main(["grade", str(download), "--out", str(out), "--seed", "7", "--no-report",
                 "--jobs", "2", "--roster", str(roster), "--moodle-item", "HW 3"]) == 0
    shown = " ".join(capsys.readouterr().out.split())
    assert "2 of 3 students have a graded submission" in shown
    assert "no submission from (1): Zoë, Jr. Ångström" in shown
    assert f"{out}/moodle_grades.csv" in shown
    # Each student's file folder, with a zip in it, graded; Bo's online-text folder beside
    # his files attempted nothing, so it does not make him ambiguous.
    assert _rows(out / "moodle_grades.csv") == [
        ["Email address", "Full name", "HW 3", "Feedback"],
        ["gina@uni.edu", "Gina Ortiz", POINTS,
         f"{POINTS}/{POINTS}: {TESTS} of {TESTS} tests passed (passed)."],
        ["bo@uni.edu", "Bo Lee", "0", f"0/{POINTS}: 0 of {TESTS} tests passed (not attempted)."],
        ["zoe@uni.edu", "Zoë, Jr. Ångström", "0", "descent found no submission."]]
    assert '"Zoë, Jr. Ångström"' in (out / "moodle_grades.csv").read_text(encoding="utf-8")
    assert not (out / "canvas_grades.csv").exists()


def test_moodle_names_alone_give_no_moodle_gradebook_and_say_why(tmp_path: Path, capsys,
                                                                 wide):
    download = _moodle_download(tmp_path / "hw3")
    (download / "Bo Lee_2222_assignsubmission_file_").rename(download / "Bo Lee_2222_x")
    assert main(["grade", str(download), "--out", str(tmp_path / "out"), "--seed", "7",
                 "--no-report", "--jobs", "2"]) == 0
    shown = " ".join(capsys.readouterr().out.split())
    assert "moodle_grades.csv needs --roster" in shown
    assert "no student found for (1): Bo Lee_2222_x" in shown
    assert not (tmp_path / "out" / "moodle_grades.csv").exists()


def test_a_roster_that_cannot_be_read_stops_before_grading(tmp_path: Path, capsys, wide):
    shutil.copytree(EXERCISES, tmp_path / "class" / "alice" / "exercises")
    (tmp_path / "roster.csv").write_text("Name,Grade\nalice,1\n")
    code = main(["grade", str(tmp_path / "class"), "--out", str(tmp_path / "out"),
                 "--roster", str(tmp_path / "roster.csv")])
    assert code == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "roster.csv has no column that identifies a student" in err
    assert "SIS Login ID" in err and "Email address" in err
    assert not (tmp_path / "out").exists()


def test_merged_shards_write_the_same_gradebooks(canvas_download: Path, tmp_path: Path):
    roster = tmp_path / "export.csv"
    roster.write_text(CANVAS_EXPORT, encoding="utf-8")
    download = canvas_download / "course-hw3 submissions.zip"
    options = ["--roster", str(roster), "--canvas-assignment", "HW3 (12345)", "--seed", "7",
               "--no-report", "--jobs", "2"]
    assert main(["grade", str(download), "--out", str(tmp_path / "one"), *options]) == 0
    for k in (1, 2):
        assert main(["grade", str(download), "--out", str(tmp_path / f"s{k}"),
                     "--shard", f"{k}/2", *options]) == 0
    assert main(["merge", str(tmp_path / "s1"), str(tmp_path / "s2"), "--out",
                 str(tmp_path / "merged"), *options[:4]]) == 0
    for name in ("canvas_grades.csv", "roster_report.csv"):
        assert (tmp_path / "merged" / name).read_text() == (tmp_path / "one" / name).read_text()


def test_scores_are_written_as_both_lms_parse_them(tmp_path: Path):
    roster = tmp_path / "r.csv"
    roster.write_text("Student,ID,SIS User ID,SIS Login ID,Section\n"
                      '"O\'Brien, Seán ""Sy""",11,,,\n"Ng, Al",12,,,\n', encoding="utf-8")
    matching = match([result("obrienseánsy_11_5_x", Verdict.PASSED, Verdict.PASSED),
                      result("ngal_12_1_x", Verdict.PASSED, points=2 / 3)], read_roster(roster))
    rows = list(csv.reader(io.StringIO(canvas_csv(matching, GradebookNames()))))
    assert rows[1][5] == "4"  # the largest total: the points possible
    assert rows[2] == ["O'Brien, Seán \"Sy\"", "11", "", "", "", "4"]
    assert rows[3][5] == "0.6667"  # a dot, no exponent, no float noise
    assert moodle_csv(matching, GradebookNames()) is None  # a Canvas roster has no Moodle ids


def test_loose_files_in_a_canvas_download_are_one_submission_per_student(tmp_path: Path):
    """Students who upload the .py files themselves: Canvas names each file after them."""
    download = tmp_path / "submissions.zip"
    solution = {p.name: p.read_bytes() for p in SOLUTIONS.glob("*.py")}
    stub = {p.name: p.read_bytes() for p in EXERCISES.glob("*.py")}
    with zipfile.ZipFile(download, "w") as archive:
        for number, (name, data) in enumerate(sorted(solution.items())):
            archive.writestr(f"ortizgina_1234_{700 + number}_{name}", data)
        # Lee uploaded 03 twice: the stub first, then (Canvas renames it) the solution.
        archive.writestr("leebo_LATE_2222_800_03_update_step.py", stub["03_update_step.py"])
        archive.writestr("leebo_LATE_2222_801_03_update_step-1.py",
                         solution["03_update_step.py"])
        archive.writestr("leebo_LATE_2222_802_notes.txt", b"not an exercise")
    out = tmp_path / "out"
    grade_run([download], out, settings=FAST, jobs=2)
    everything = json.loads((out / "all_results.json").read_text(encoding="utf-8"))
    scores = {s["name"]: s for s in everything["submissions"]}
    assert set(scores) == {"ortizgina_1234_0_exercises", "leebo_LATE_2222_0_exercises"}
    assert f'{scores["ortizgina_1234_0_exercises"]["score"]:g}' == POINTS
    lee = {t["test"]: t["verdict"] for t in scores["leebo_LATE_2222_0_exercises"]["tests"]}
    assert lee["03_update_step:step"] == Verdict.PASSED.value  # the later upload counts
    assert lee["01_quadratic:derivative"] == Verdict.NOT_ATTEMPTED.value
    assert _rows(out / "canvas_grades.csv")[2:] == [
        ["leebo", "2222", "", "", "", "3"], ["ortizgina", "1234", "", "", "", POINTS]]
