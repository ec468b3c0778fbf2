"""Finding the exercise files in an upload, and Markdown that student text cannot restructure."""

from __future__ import annotations

import os
import re
import stat
import zipfile
from pathlib import Path

from grader.gradescope.upload import MAX_FILE_BYTES, find_upload, write_exercises
from grader.render.gradescope import markdown_code, markdown_text
from tests.conftest import SOLUTIONS

QUADRATIC = (SOLUTIONS / "01_quadratic.py").read_bytes()


def test_an_exercises_folder_wins_over_stray_copies_at_the_same_depth(tmp_path: Path):
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "01_quadratic.py").write_text("old = 1\n")
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / "01_quadratic.py").write_bytes(QUADRATIC)
    upload = find_upload(tmp_path)
    assert upload.files == {"01_quadratic.py": QUADRATIC}
    assert upload.found_in == "exercises/ in your upload"


def test_two_folders_of_exercise_files_are_refused_by_name(tmp_path: Path):
    for folder in ("draft", "final"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "01_quadratic.py").write_bytes(QUADRATIC)
    upload = find_upload(tmp_path)
    assert upload.files == {} and upload.problem
    assert "draft/" in upload.problem and "final/" in upload.problem


def test_links_hidden_folders_and_other_files_are_not_taken(tmp_path: Path):
    secret = tmp_path / "elsewhere.py"
    secret.write_text("SECRET = 1\n")
    (tmp_path / "up").mkdir()
    os.symlink(secret, tmp_path / "up" / "01_quadratic.py")
    (tmp_path / "up" / ".git").mkdir()
    (tmp_path / "up" / ".git" / "02_partials.py").write_text("x = 1\n")
    (tmp_path / "up" / "02_partials.py").write_bytes(b"y = 2\n")
    (tmp_path / "up" / "notes.py").write_text("z = 3\n")
    upload = find_upload(tmp_path / "up")
    assert upload.files == {"02_partials.py": b"y = 2\n"}
    written = write_exercises(upload, tmp_path / "stage")
    assert sorted(p.name for p in written.iterdir()) == ["02_partials.py"]


def test_a_zip_is_read_in_memory_only_its_chosen_members_capped(tmp_path: Path):
    archive_path = tmp_path / "up" / "work.zip"
    archive_path.parent.mkdir()
    with zipfile.ZipFile(archive_path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("01_quadratic.py", QUADRATIC)
        archive.writestr("02_partials.py", b"#" * (4 * MAX_FILE_BYTES))  # compresses to little
        archive.writestr("../../03_update_step.py", b"escape = 1\n")
        link = zipfile.ZipInfo("04_sigmoid_delta.py")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    upload = find_upload(tmp_path / "up")
    assert set(upload.files) == {"01_quadratic.py", "02_partials.py"}
    assert len(upload.files["02_partials.py"]) == MAX_FILE_BYTES + 1  # the engine says too big
    assert upload.found_in == "the top of work.zip"
    assert not (tmp_path / "03_update_step.py").exists()


def test_a_missing_or_empty_submission_folder_is_nothing_found(tmp_path: Path):
    assert find_upload(tmp_path / "absent").files == {}
    empty_zip = tmp_path / "empty.zip"
    zipfile.ZipFile(empty_zip, "w").close()
    upload = find_upload(tmp_path)
    assert upload.files == {} and upload.problem is None


def test_student_text_cannot_add_markup_or_structure():
    hostile = "# Title\n- item\n1. one\n<img src=x onerror=alert(1)> [link](http://x) *em* `c`"
    shown = markdown_text(hostile)
    assert not re.search(r"(?<!\\)[<>\[\]*`#]", shown)  # each one escaped
    assert all(line.startswith("\\") or line[0].isdigit() for line in shown.split("  \n"))
    assert shown.split("  \n")[2].startswith("1\\.")
    assert markdown_code("a ``` b") == "````a ``` b````"
    assert markdown_code("`tick`") == "`` `tick` ``"
    block = markdown_code("line one\n```\nline three")
    assert "````text\nline one\n```\nline three\n````" in block
