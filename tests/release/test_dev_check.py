"""`descent dev check`: passes on this course, and names each way a course can go wrong."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader.cli import main
from grader.course import CATALOG
from grader.i18n import LANGUAGES
from grader.release.devcheck import dev_check
from tests.conftest import FAST, ROOT


def test_dev_check_passes_on_this_course(capsys: pytest.CaptureFixture[str]):
    assert main(["--course", str(ROOT), "dev", "check"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    tests = sum(len(entry.checks) for entry in CATALOG)
    translated = [lang for lang in LANGUAGES if lang != "en"]
    titles = [f"catalog and files agree ({len(CATALOG)} exercises, {tests} tests",
              f"every stub fails every test ({tests} of {tests} tests fail on the stubs)",
              f"every solution passes every test ({tests} of {tests} tests pass",
              "a trial release holds no solution"]
    for lang in translated:
        titles += [f"every program message has a {lang} translation with the same format fields",
                   f"every course text and stub has a {lang} version"]
    for title in titles:
        assert f"✔ {title}" in out
    assert f"All {len(titles)} checks passed" in out


def test_dev_check_names_each_problem(tmp_path: Path):
    course = tmp_path / "course"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("exercises", "solutions", "grader", "tui"):
        shutil.copytree(ROOT / name, course / name, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", course)
    shutil.copy(course / "solutions" / "03_update_step.py", course / "exercises")
    sigmoid = course / "solutions" / "04_sigmoid_delta.py"
    sigmoid.write_text(sigmoid.read_text().replace("def delta_w(", "def delta_w_renamed("))
    (course / "exercises" / "99_extra.py").write_text("x = 1\n")

    findings = {f.title: f.problems for f in dev_check(course, FAST)}
    agree = findings["catalog and files agree"]
    assert agree[:2] == ("exercises/99_extra.py is not in the catalog",
                         "solutions/04_sigmoid_delta.py does not define delta_w()")
    (stale,) = agree[2:]  # the solution copied over the stub: its digest is not the stub's
    assert stale.startswith("exercises/03_update_step.py is not the stub the catalog knows")
    assert "grader/course/hints/03_update_step.toml" in stale
    stubs = findings["every stub fails every test"]
    assert [p.split(":")[0:2] for p in stubs] == [["03_update_step", "step"],
                                                  ["03_update_step", "descend"]]
    assert [p.split(": ")[0] for p in findings["every solution passes every test"]] == [
        "04_sigmoid_delta:delta_w"]
    (leak,) = findings["a trial release holds no solution"]
    assert "exercises/03_update_step.py: a copy of solutions/03_update_step.py" in leak

    assert main(["--course", str(course), "dev", "check"]) == 1
