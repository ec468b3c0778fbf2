"""Batch grading as instructors use it: resumable, sharded, zipped, regraded, every format."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import junitparser
import pytest

from grader.batch.intake import discover
from grader.batch.run import grade_run
from grader.cli import main
from grader.course import CATALOG
from grader.engine import Settings
from tests.conftest import EXERCISES, FAST, SOLUTIONS

ALL_TESTS = [entry.test_name(check) for entry in CATALOG for check in entry.checks]
TIMING_KEYS = {"execution_time", "duration", "time"}


def make_class(folder: Path, size: int) -> Path:
    """A class where students differ: solutions, stubs, and one mistake each."""
    for n in range(size):
        exercises = folder / f"s{n:02d}" / "exercises"
        shutil.copytree(EXERCISES if n % 5 == 4 else SOLUTIONS, exercises)
        if n % 3 == 1:
            (exercises / "03_update_step.py").write_text(
                "def step(w, grad, lr):\n    return w + lr * grad\n")
    return folder


def untimed(data):
    """JSON data without timing fields: everything else must be reproducible."""
    if isinstance(data, dict):
        return {k: untimed(v) for k, v in data.items() if k not in TIMING_KEYS}
    if isinstance(data, list):
        return [untimed(v) for v in data]
    return data


def outputs(out: Path) -> dict[str, object]:
    found: dict[str, object] = {}
    for path in sorted(out.rglob("*")):
        relative = str(path.relative_to(out))
        if path.suffix == ".json":
            found[relative] = untimed(json.loads(path.read_text()))
        elif path.name in ("grades.csv",):
            found[relative] = path.read_text()
        elif path.name == "junit.xml":
            suites = junitparser.JUnitXml.fromfile(str(path))
            found[relative] = [(c.name, [r.message for r in c.result]) for s in suites for c in s]
    return found


def _command(folder: Path, out: Path, *extra: str) -> list[str]:
    # One seed for both output folders (by default each draws its own secret inputs).
    return [sys.executable, "-m", "grader.cli", "grade", str(folder), "--out", str(out),
            "--no-report", "--jobs", "2", "--seed", "7", *extra]


def test_a_killed_run_resumes_and_matches_an_uninterrupted_one(tmp_path: Path):
    folder = make_class(tmp_path / "class", 24)
    reference, resumed = tmp_path / "reference", tmp_path / "resumed"
    subprocess.run(_command(folder, reference), check=True, capture_output=True, timeout=300)
    process = subprocess.Popen(_command(folder, resumed), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    journal = resumed / "journal.sqlite"
    deadline = time.monotonic() + 120
    done = 0
    while time.monotonic() < deadline and done < 5:
        time.sleep(0.05)
        if journal.exists():
            try:
                with sqlite3.connect(journal) as db:
                    done = db.execute("SELECT COUNT(*) FROM graded").fetchone()[0]
            except sqlite3.Error:
                done = 0
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert 5 <= done < 24, "the run should be killed part-way"
    rerun = subprocess.run(_command(folder, resumed), capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert "unchanged from the journal" in rerun.stdout
    assert outputs(resumed) == outputs(reference)


def test_grades_are_the_same_run_after_run(tmp_path: Path):
    folder = make_class(tmp_path / "class", 6)
    first = grade_run([folder], tmp_path / "a", settings=FAST, jobs=2)
    second = grade_run([folder], tmp_path / "b", settings=FAST, jobs=1)
    assert [untimed(r.to_dict()) for r in first.results] == [
        untimed(r.to_dict()) for r in second.results]


def test_shards_merge_into_what_one_run_writes(tmp_path: Path):
    folder = make_class(tmp_path / "class", 12)
    grade_run([folder], tmp_path / "single", settings=Settings(), jobs=2)
    shards = []
    for k in (1, 2, 3):
        shard = tmp_path / f"shard{k}"
        summary = grade_run([folder], shard, settings=Settings(), jobs=2, shard=f"{k}/3")
        shards.append(shard)
        assert len(summary.results) < 12
    assert main(["merge", *map(str, shards), "--out", str(tmp_path / "merged")]) == 0
    merged, single = outputs(tmp_path / "merged"), outputs(tmp_path / "single")
    assert merged == single


def test_every_format_is_what_its_consumer_reads(tmp_path: Path):
    folder = make_class(tmp_path / "class", 5)
    out = tmp_path / "out"
    grade_run([folder], out, settings=FAST, jobs=2)
    for student in sorted(folder.iterdir()):
        gradescope = json.loads((out / student.name / "results.json").read_text())
        assert set(gradescope) >= {"score", "execution_time", "output", "tests"}
        assert gradescope["output_format"] in ("text", "html", "simple_format", "md", "ansi")
        for test in gradescope["tests"]:
            assert {"name", "score", "max_score", "status", "output"} <= set(test)
            assert test["status"] in ("passed", "failed")
            assert isinstance(test["number"], str)
        prairie = json.loads((out / student.name / "prairielearn.json").read_text())
        assert prairie["gradable"] is True and 0 <= prairie["score"] <= 1
        assert len((out / student.name / "prairielearn.json").read_bytes()) < 1_000_000
        assert [t["name"] for t in prairie["tests"]] == ALL_TESTS
        for test in prairie["tests"]:
            assert 0 <= test["points"] <= test["max_points"]
    suites = junitparser.JUnitXml.fromfile(str(out / "junit.xml"))
    cases = [case for suite in suites for case in suite]
    assert len(cases) == 5 * len(ALL_TESTS)
    assert {case.name for case in cases} == set(ALL_TESTS)
    everything = json.loads((out / "all_results.json").read_text())
    assert everything["seed"] == FAST.seed and everything["grader_version"]
    assert all(t["duration"] >= 0 for s in everything["submissions"] for t in s["tests"])


def _zip(path: Path, entries: dict[str, str], links: dict[str, str] | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
        for name, target in (links or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o120777 << 16  # a symbolic link
            archive.writestr(info, target)
    return path


@pytest.mark.parametrize(
    ("entries", "links", "words"),
    [
        ({"../evil.py": "x = 1"}, None, "escapes the target folder"),
        ({"/etc/evil.py": "x = 1"}, None, "escapes the target folder"),
        ({"exercises/01_quadratic.py": "x = 1"}, {"exercises/x.py": "/etc/passwd"}, "is a link"),
    ],
)
def test_zip_entries_that_escape_are_refused(tmp_path: Path, entries, links, words):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _zip(inbox / "mallory.zip", entries, links)
    (found,) = discover([inbox], tmp_path / "out")
    assert found.name == "mallory" and found.exercises is None
    assert words in (found.problem or "")
    assert not (tmp_path / "evil.py").exists() and not (tmp_path / "out" / "evil.py").exists()
    summary = grade_run([inbox], tmp_path / "out", settings=FAST, jobs=1)
    (result,) = summary.results
    assert all(words in t.rationale for t in result.tests)


def test_zips_one_per_student_or_one_of_many_at_any_depth(tmp_path: Path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    solution = {f"deep/er/exercises/{p.name}": p.read_text() for p in SOLUTIONS.glob("*.py")}
    _zip(inbox / "alice.zip", solution)
    many = {}
    for student in ("bob", "carol"):
        for p in SOLUTIONS.glob("*.py"):
            many[f"{student}/exercises/{p.name}"] = p.read_text()
    _zip(tmp_path / "class.zip", many)
    found = discover([inbox, tmp_path / "class.zip"], tmp_path / "out")
    assert [s.name for s in found] == ["alice", "bob", "carol"]
    assert all(s.exercises is not None and s.exercises.name == "exercises" for s in found)


def test_a_regrade_reports_changed_verdicts(tmp_path: Path, monkeypatch):
    folder = make_class(tmp_path / "class", 3)
    out = tmp_path / "out"
    grade_run([folder], out, settings=FAST, jobs=1)
    # A grader change: `step` now also demands the ascent answer be accepted (a deliberately
    # wrong "fix"), so s01, who wrote the ascent rule, changes verdict.
    from grader.batch import run as run_module
    from grader.course import ex03_update_step

    step = CATALOG[2].checks[0]
    monkeypatch.setattr(step, "_truth", lambda case: ex03_update_step._step(case, sign=1.0))
    monkeypatch.setattr(run_module, "fingerprint", lambda: "changed-grader")
    summary = grade_run([folder], out, settings=FAST, jobs=1)
    changes = {c["name"]: c for c in summary.regrades}
    assert set(changes) == {"s00", "s01", "s02"}
    s01 = {c["test"]: c for c in changes["s01"]["changed"]}
    assert s01["03_update_step:step"]["before"] == "failed"
    assert s01["03_update_step:step"]["after"] == "passed"
    assert changes["s00"]["difference"] == -1
    report = json.loads((out / "regrade.json").read_text())
    assert [r["name"] for r in report] == ["s00", "s01", "s02"]


def test_the_class_report_has_its_plots(tmp_path: Path):
    folder = make_class(tmp_path / "class", 5)
    out = tmp_path / "out"
    grade_run([folder], out, settings=FAST, jobs=2)
    assert main(["report", str(out)]) == 0
    page = (out / "report.html").read_text()
    for plot in ("scores", "pass_rate", "diagnoses", "times"):
        image = out / "report" / f"{plot}.png"
        assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"report/{plot}.png" in page
    assert "ascent-instead-of-descent" in page


def test_no_process_is_left_behind(tmp_path: Path):
    folder = make_class(tmp_path / "class", 4)
    before = {int(p) for p in os.listdir("/proc") if p.isdigit()}
    grade_run([folder], tmp_path / "out", settings=FAST, jobs=2)
    time.sleep(0.1)
    mine = []
    for pid in {int(p) for p in os.listdir("/proc") if p.isdigit()} - before:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        if f"PPid:\t{os.getpid()}\n" in status and "State:\tZ" not in status:
            mine.append(pid)
    assert mine == []


def _hang_for_stuck(submission, settings):
    """Stands in for the worker's grading: hangs forever on a submission named a-stuck."""
    from grader.batch.pool import unreadable_result
    from grader.model import Verdict

    if submission.name == "a-stuck":
        while True:
            time.sleep(1)
    return unreadable_result(submission.name, "graded quickly", settings, Verdict.NOT_ATTEMPTED)


def test_a_stuck_worker_is_stopped_at_its_deadline_and_the_run_goes_on(tmp_path: Path,
                                                                     monkeypatch):
    from grader.batch import pool as pool_module
    from grader.model import Verdict

    for name in ("a-stuck", "b-fine"):
        shutil.copytree(EXERCISES, tmp_path / "class" / name / "exercises")
    monkeypatch.setattr(pool_module, "grade_submission", _hang_for_stuck)

    def hung(*_):
        raise TimeoutError("grade_run waited past the submission deadline")

    # The guard: without a deadline in the pool this test would hang instead of failing.
    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(90)
    try:
        # One worker: b-fine can only be graded by the worker that replaced the stuck one.
        summary = grade_run([tmp_path / "class"], tmp_path / "out", settings=FAST, jobs=1,
                            deadline=2.0)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    stuck, fine = summary.results
    assert stuck.name == "a-stuck"
    assert all(t.verdict is Verdict.ERROR and "ran out of time" in t.rationale
               for t in stuck.tests)
    assert fine.name == "b-fine" and {t.rationale for t in fine.tests} == {"graded quickly"}
    written = json.loads((tmp_path / "out" / "a-stuck" / "descent.json").read_text())
    assert "ran out of time" in written["tests"][0]["rationale"]


def test_the_default_deadline_follows_the_limits_within_bounds():
    from grader.batch.pool import submission_deadline
    from grader.sandbox import Limits

    assert submission_deadline(FAST) < submission_deadline(Settings())
    assert submission_deadline(Settings(limits=Limits(call_seconds=0.01,
                                                      import_seconds=0.01))) == 60.0
    assert submission_deadline(Settings(limits=Limits(call_seconds=1e4))) == 1800.0
