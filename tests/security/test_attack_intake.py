"""Attacks on intake: names that escape or impersonate, and zips that are stale, broken or
ambiguous. Built as a student or an LMS export would: real zip files in a class folder."""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from grader.batch.intake import discover
from grader.batch.names import OutsideOutput, assign_names, inside, safe_name
from grader.batch.run import grade_run
from grader.model import Verdict
from tests.conftest import EXERCISES, FAST, SOLUTIONS


def _zip(path: Path, folders: dict[str, Path], extra: dict[str, bytes] | None = None) -> Path:
    """A zip holding, for each prefix, a copy of a course folder's files under it."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for prefix, source in folders.items():
            for file in sorted(source.glob("*.py")):
                archive.writestr(f"{prefix}{file.name}", file.read_bytes())
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def _listing(folder: Path, leave_out: Path) -> dict[str, int]:
    """Every path under `folder` but `leave_out`, with its size: what a run must not touch."""
    found = {}
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if Path(root, d) != leave_out]
        for name in files:
            found[str(Path(root, name).relative_to(folder))] = Path(root, name).stat().st_size
    return found


def _score(out: Path, name: str) -> float:
    return json.loads((out / name / "results.json").read_text())["score"]


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("..", "__"), (".", "_"), (".hidden", "_hidden"), ("a/b", "a_b"), ("a\\b", "a_b"),
        ("bob\x00\x1b[2J", "bob__[2J"), ("eve\u202egnp.exe", "eve_gnp.exe"),
        ("Zoë Ångström", "Zoë Ångström"), ("学生 七", "学生 七"), ("x" * 300, "x" * 100),
        ("é" * 150, "é" * 100), ("", "_"),
    ],
)
def test_names_are_made_safe_and_stay_readable(raw: str, safe: str):
    assert safe_name(raw) == safe
    assert len(safe_name(raw).encode()) <= 200


def test_class_files_and_duplicates_are_never_given_out_as_names():
    claims = [("grades.csv", 0, "in/grades.csv.zip"), ("alice", 1, "in/class.zip/alice"),
              ("alice", 0, "in/b/alice.zip"), ("Alice", 0, "in/a/Alice"),
              ("JOURNAL.sqlite", 0, "in/x.zip"), ("alice~2", 0, "in/alice~2")]
    assert assign_names(claims) == ["grades.csv~2", "alice~4", "alice~3", "Alice",
                                    "JOURNAL.sqlite~2", "alice~2"]
    assert assign_names(reversed(claims)) == list(reversed(assign_names(claims)))


def test_every_path_written_is_proven_inside_out(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "link").symlink_to(tmp_path)
    assert inside(out, "alice", "results.json") == out.resolve() / "alice" / "results.json"
    for parts in (("..",), ("..", "x"), ("",), (".",), ("a/../../x",), ("link", "x")):
        with pytest.raises(OutsideOutput):
            inside(out, *parts)


def test_a_zip_whose_name_is_dot_dot_stays_in_its_own_folder(tmp_path: Path):
    """`...zip` has the stem `..`: it once unpacked into OUT_DIR itself (its journal.sqlite
    forging scores, its results written above OUT_DIR) and a re-run deleted OUT_DIR."""
    inbox = tmp_path / "class"
    inbox.mkdir()
    forged = b"SQLite format 3\x00 forged journal"
    _zip(inbox / "...zip", {"exercises/": EXERCISES},
         {"journal.sqlite": forged, "grades.csv": b"submission,total\nmallory,100\n"})
    shutil.copytree(SOLUTIONS, inbox / "alice" / "exercises")
    out = tmp_path / "out"
    out.mkdir()
    (out / "instructor-notes.txt").write_text("mine")
    before = _listing(tmp_path, out)
    for _ in range(2):  # the re-run once removed OUT_DIR wholesale
        summary = grade_run([inbox], out, settings=FAST, jobs=2)
        assert [r.name for r in summary.results] == ["__", "alice"]
        assert _listing(tmp_path, out) == before
        assert (out / "instructor-notes.txt").read_text() == "mine"
        assert "mallory" not in (out / "grades.csv").read_text()
        with sqlite3.connect(out / "journal.sqlite") as db:
            assert {n for (n,) in db.execute("SELECT name FROM graded")} == {"__", "alice"}
    assert _score(out, "__") == 0 and _score(out, "alice") == summary.results[1].max_score


def test_zips_named_like_class_files_do_not_replace_them(tmp_path: Path):
    inbox = tmp_path / "class"
    inbox.mkdir()
    for stem in ("grades.csv", "journal.sqlite", "report", "run.json"):
        _zip(inbox / f"{stem}.zip", {"exercises/": EXERCISES})
    out = tmp_path / "out"
    for _ in range(2):  # a re-run once crashed on the folder named journal.sqlite
        summary = grade_run([inbox], out, settings=FAST, jobs=2)
        assert sorted(r.name for r in summary.results) == [
            "grades.csv~2", "journal.sqlite~2", "report~2", "run.json~2"]
    assert (out / "grades.csv").read_text().startswith("submission,")
    assert (out / "journal.sqlite").read_bytes().startswith(b"SQLite format 3\x00")
    assert (out / "grades.csv~2" / "results.json").is_file()


def test_a_students_zip_cannot_speak_for_another_student(tmp_path: Path):
    """mallory.zip holds a full-marks `alice/exercises` beside her own: it stays one
    submission (an error naming both folders), and alice keeps her own result."""
    inbox = tmp_path / "class"
    inbox.mkdir()
    _zip(inbox / "alice.zip", {"exercises/": EXERCISES})
    _zip(inbox / "mallory.zip", {"alice/exercises/": SOLUTIONS, "mallory/exercises/": EXERCISES})
    summary = grade_run([inbox], tmp_path / "out", settings=FAST, jobs=2)
    alice, mallory = summary.results
    assert (alice.name, mallory.name) == ("alice", "mallory")
    assert alice.score == 0 and _score(tmp_path / "out", "alice") == 0
    assert all(t.verdict is Verdict.ERROR for t in mallory.tests)
    assert "alice/exercises, mallory/exercises" in mallory.tests[0].rationale


def test_a_class_export_cannot_take_a_name_from_a_student_on_disk(tmp_path: Path):
    """A class zip named on the command line is split; its `alice/` yields to alice.zip."""
    _zip(tmp_path / "export.zip", {"alice/exercises/": SOLUTIONS, "bob/exercises/": EXERCISES})
    _zip(tmp_path / "alice.zip", {"exercises/": EXERCISES})
    found = discover([tmp_path / "export.zip", tmp_path / "alice.zip"], tmp_path / "out")
    by_name = {s.name: s for s in found}
    assert sorted(by_name) == ["alice", "alice~2", "bob"]
    assert by_name["alice"].exercises is not None
    assert (by_name["alice"].exercises / "03_update_step.py").read_bytes() == (
        EXERCISES / "03_update_step.py").read_bytes()


def test_two_submissions_of_one_name_are_kept_apart_the_same_way_every_time(tmp_path: Path):
    for section in ("a", "b"):
        (tmp_path / section).mkdir()
        _zip(tmp_path / section / "alice.zip", {"exercises/": EXERCISES})
    shutil.copytree(SOLUTIONS, tmp_path / "b" / "Alice" / "exercises")
    one = discover([tmp_path / "a", tmp_path / "b"], tmp_path / "out")
    other = discover([tmp_path / "b", tmp_path / "a"], tmp_path / "out")
    assert [s.name for s in one] == ["Alice~2", "alice", "alice~3"]  # first path wins
    assert one == other
    assert one[0].exercises == tmp_path / "b" / "Alice" / "exercises"


def test_draft_and_final_in_one_zip_is_one_submission_with_an_error(tmp_path: Path):
    inbox = tmp_path / "class"
    inbox.mkdir()
    _zip(inbox / "carol.zip", {"draft/exercises/": EXERCISES, "final/exercises/": SOLUTIONS})
    shutil.copytree(EXERCISES, inbox / "dave" / "hw" / "a" / "exercises")
    shutil.copytree(EXERCISES, inbox / "dave" / "hw" / "b" / "exercises")
    carol, dave = discover([inbox], tmp_path / "out")
    assert (carol.name, carol.exercises) == ("carol", None)
    assert "several exercises/ folders (draft/exercises, final/exercises)" in carol.problem
    assert (dave.name, dave.exercises) == ("dave", None)
    assert "hw/a/exercises, hw/b/exercises" in dave.problem


def test_a_changed_zip_is_read_again(tmp_path: Path):
    inbox = tmp_path / "class"
    inbox.mkdir()
    out = tmp_path / "out"
    _zip(inbox / "erin.zip", {"exercises/": EXERCISES})
    (first,) = grade_run([inbox], out, settings=FAST, jobs=1).results
    _zip(inbox / "erin.zip", {"exercises/": SOLUTIONS})  # resubmitted under the same name
    (second,) = grade_run([inbox], out, settings=FAST, jobs=1).results
    assert first.score == 0 and second.score == second.max_score
    assert len(list((out / ".staging").iterdir())) == 1  # the old copy is gone


def _broken_zips(inbox: Path) -> dict[str, str]:
    """Zips as uploads break, each with the words its error result must say."""
    whole = _zip(inbox / "whole.zip", {"exercises/": SOLUTIONS}).read_bytes()
    (inbox / "whole.zip").unlink()
    (inbox / "truncated.zip").write_bytes(whole[: len(whole) // 2])
    (inbox / "tail-lost.zip").write_bytes(whole[:-10])
    damaged = bytearray(whole)
    first = zipfile.ZipFile(io.BytesIO(whole)).infolist()[0]
    start = first.header_offset + 30 + len(first.filename.encode()) + len(first.extra)
    damaged[start + 10: start + 50] = bytes(40)  # inside the first file's compressed data
    (inbox / "damaged.zip").write_bytes(bytes(damaged))
    _zip(inbox / "empty.zip", {})
    (inbox / "zero.zip").write_bytes(b"")
    return {"truncated": "damaged or cut short", "tail-lost": "damaged or cut short",
            "damaged": "damaged or cut short", "empty": "is empty",
            "zero": "damaged or cut short"}


def test_damaged_truncated_and_empty_zips_become_error_results(tmp_path: Path):
    inbox = tmp_path / "class"
    inbox.mkdir()
    expected = _broken_zips(inbox)
    summary = grade_run([inbox], tmp_path / "out", settings=FAST, jobs=1)
    assert sorted(r.name for r in summary.results) == sorted(expected)
    for result in summary.results:
        assert all(t.verdict is Verdict.ERROR for t in result.tests), result.name
        assert expected[result.name] in result.tests[0].rationale
        assert "Ask the student" in result.tests[0].rationale


def _descent(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "grader.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "COLUMNS": "250"})


def test_an_input_with_no_submission_is_a_usage_error(tmp_path: Path):
    (tmp_path / "class").mkdir()
    run = _descent("grade", "class", "--out", "out", cwd=tmp_path)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "holds no exercises/ folder and no zip file" in run.stderr


def test_out_naming_a_file_is_a_usage_error(tmp_path: Path):
    shutil.copytree(EXERCISES, tmp_path / "class" / "alice" / "exercises")
    (tmp_path / "out").write_text("not a folder")
    run = _descent("grade", "class", "--out", "out", cwd=tmp_path)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "out is a file" in run.stderr
    assert (tmp_path / "out").read_text() == "not a folder"


def test_a_class_of_every_attack_finishes_and_grades_the_honest_right(tmp_path: Path):
    inbox = tmp_path / "class"
    shutil.copytree(SOLUTIONS, inbox / "honest" / "exercises")
    _zip(inbox / "honest-zip.zip", {"my work/exercises/": SOLUTIONS})
    _zip(inbox / "...zip", {"exercises/": EXERCISES}, {"journal.sqlite": b"forged"})
    _zip(inbox / "grades.csv.zip", {"exercises/": EXERCISES})
    _zip(inbox / "mallory.zip", {"honest/exercises/": EXERCISES, "m/exercises/": EXERCISES})
    _zip(inbox / "carol.zip", {"draft/exercises/": EXERCISES, "final/exercises/": SOLUTIONS})
    broken = _broken_zips(inbox)
    (inbox / "README.txt").write_text("the LMS's notes: not a submission")
    out = tmp_path / "out"
    before = _listing(tmp_path, out)
    run = _descent("grade", str(inbox), "--out", str(out), "--no-report", "--jobs", "2",
                   cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert _listing(tmp_path, out) == before
    grades = json.loads((out / "all_results.json").read_text())["submissions"]
    by_name = {s["name"]: s for s in grades}
    assert sorted(by_name) == sorted(["honest", "honest-zip", "__", "grades.csv~2", "mallory",
                                      "carol", *broken])
    for name in ("honest", "honest-zip"):
        assert by_name[name]["score"] == by_name[name]["max_score"] > 0
    errored = {"mallory", "carol", *broken}
    for name in errored:
        assert f"error {name}: " in run.stdout
    assert f"{len(errored)} with errors" in run.stdout
