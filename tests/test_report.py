"""The class report and JUnit from a hand-made class: content, escaping, links, the splits."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import junitparser

from grader import __version__
from grader.batch.journal import Journal
from grader.batch.outputs import (
    fingerprint,
    write_class_files,
    write_run_record,
    write_submission_files,
)
from grader.batch.report import write_report
from grader.cli import main
from grader.course import CATALOG
from grader.model import CheckResult, Counterexample, Diagnosis, SubmissionResult, Verdict
from grader.render.junit import junit_xml

TESTS = [(entry.id, check.function, float(check.points))
         for entry in CATALOG for check in entry.checks]
STEP = "03_update_step:step"
HOSTILE = ['<script>alert(1)', '"><img src=x onerror=alert(1)>', "a&b 'quoted' #1?x=%2e"]


def check_result(exercise: str, function: str, points: float, verdict: Verdict,
                 **evidence: object) -> CheckResult:
    rationale = str(evidence.pop("rationale", f"{function} got {verdict.value}"))
    return CheckResult(exercise=exercise, function=function, verdict=verdict,
                       score=points if verdict is Verdict.PASSED else 0.0, max_score=points,
                       rationale=rationale, **evidence)  # type: ignore[arg-type]


def submission(name: str, verdicts: dict[str, Verdict] | None = None,
               default: Verdict = Verdict.PASSED, **evidence: object) -> SubmissionResult:
    """Every course test at `default`, except those in `verdicts`; `evidence` goes to those
    (to every test when `verdicts` is not given)."""
    chosen = verdicts or {}
    tests = tuple(
        check_result(exercise, function, points, chosen.get(f"{exercise}:{function}", default),
                     **(evidence if not chosen or f"{exercise}:{function}" in chosen else {}))
        for exercise, function, points in TESTS)
    return SubmissionResult(name=name, tests=tests, execution_time=0.25, grader_version="9.9",
                            seed=4242, isolation="namespaces (test)")


SIGN = {"counterexample": Counterexample({"w": 3.0, "grad": 5.0, "lr": 0.2}, 2.0, 4.0),
        "diagnosis": Diagnosis("ascent-instead-of-descent", "You climbed the loss."),
        "hints": (f"{STEP}#1", f"{STEP}#2", f"{STEP}#3")}


def sample_class() -> list[SubmissionResult]:
    """Full marks, two ascent mistakes, a stub, a crash, a refused zip, hostile names."""
    return [
        submission("alice"),
        submission("bob", {STEP: Verdict.FAILED}, **SIGN),
        submission(HOSTILE[0], {STEP: Verdict.FAILED}, **SIGN),
        submission("carol", default=Verdict.NOT_ATTEMPTED),
        submission("dave", {"04_sigmoid_delta:sigmoid": Verdict.ERROR},
                   rationale="sigmoid() raised ValueError (line 4): boom <b>\nTraceback …",
                   output="<script>alert('printed')</script>"),
        submission(HOSTILE[1], default=Verdict.ERROR,
                   rationale=f"{HOSTILE[1]}.zip cannot be read as a zip file"),
        submission(HOSTILE[2], {STEP: Verdict.UNDECIDED}),
    ]


def write_class(out: Path, results: list[SubmissionResult]) -> Path:
    for result in results:
        write_submission_files(out, result)
    write_class_files(out, results, 4242)
    return write_report(out)


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text of each table cell."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(text: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(text)
    return parser.tags


def assert_nothing_injected(text: str, scripts: int) -> None:
    found = tags(text)
    assert [tag for tag, _ in found].count("script") == scripts
    assert not [attrs for _, attrs in found if any(key.startswith("on") for key in attrs)]
    assert not [attrs for tag, attrs in found if tag == "img" and attrs.get("src") == "x"]


def test_the_report_links_every_student_and_injects_nothing(tmp_path: Path):
    results = sample_class()
    page = write_class(tmp_path, results).read_text()
    assert_nothing_injected(page, scripts=1)  # only the sorting script
    links = {unquote(str(attrs["href"])) for tag, attrs in tags(page) if tag == "a"}
    assert links == {f"{result.name}/feedback.html" for result in results}
    assert all((tmp_path / link).is_file() for link in links)
    assert all(name not in page for name in HOSTILE)
    assert "&lt;script&gt;alert(1)" in page
    images = [attrs["src"] for tag, attrs in tags(page) if tag == "img"]
    assert len(images) == 4
    for source in images:
        assert (tmp_path / str(source)).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _section(page: str, heading: str) -> str:
    start = page.index(f"<h2>{heading}</h2>")
    end = page.find("<h2>", start + 1)
    return page[start:end if end > 0 else None]


def test_the_errored_list_names_each_submission_with_its_first_reason(tmp_path: Path):
    page = write_class(tmp_path, sample_class()).read_text()
    errors = _section(page, "Submissions with errors")
    rows = re.findall(r"<tr><td><a href=.*?</tr>", errors)
    assert len(rows) == 2
    assert "dave" in rows[0] and "sigmoid() raised ValueError (line 4): boom &lt;b&gt;" in rows[0]
    assert "Traceback" not in rows[0]  # the first line of the reason, not the whole of it
    assert "04_sigmoid_delta:sigmoid" in rows[0]
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.zip cannot be read" in rows[1]
    assert f'<td class="num">{len(TESTS)}</td>' in rows[1]
    assert "alice" not in errors and "carol" not in errors


def test_not_attempted_is_counted_apart_from_failed(tmp_path: Path):
    page = write_class(tmp_path, sample_class()).read_text()
    per_test = _section(page, "Per test")
    (step,) = re.findall(rf"<tr><td class=\"nowrap\"><code>{STEP}</code>.*?</tr>", per_test)
    counts = [int(n) for n in re.findall(r'<td class="num">(\d+) ', step)]
    # passed, failed, error, undecided, not attempted: the column order of Verdict
    assert counts == [2, 2, 1, 1, 1] == [
        sum(1 for r in sample_class() for t in r.tests if t.test == STEP and t.verdict is v)
        for v in Verdict]
    assert "ascent-instead-of-descent</b> (2)" in step
    assert "e.g. at w = 3.0, grad = 5.0, lr = 0.2: expected 2.0, got 4.0" in step


def test_the_student_table_sorts_by_number_and_says_each_status(tmp_path: Path):
    page = write_class(tmp_path, sample_class()).read_text()
    students = _section(page, "Students")
    rows = re.findall(r"<tr><td><a .*?</tr>", students)
    assert len(rows) == len(sample_class())
    by_name = {re.search(r">([^<]*)</a>", row).group(1): row for row in rows}  # type: ignore[union-attr]
    assert 'b-passed">passed<' in by_name["alice"]
    assert 'b-failed">failed<' in by_name["bob"]
    assert 'b-not_attempted">not attempted<' in by_name["carol"]
    assert 'b-error">error<' in by_name["dave"]
    full = sum(points for _, _, points in TESTS)
    assert f'data-sort="{full:g}">{full:g} / {full:g}<' in by_name["alice"]
    summary = page[:page.index("<h2>")]
    assert ">7</b><span>submissions<" in summary and ">1</b><span>full marks<" in summary
    assert ">2</b><span>with errors<" in summary
    assert f"descent {__version__} (fingerprint <code>{fingerprint()}</code>)" in summary
    assert "<code>4242</code>" in summary and "namespaces (test)" in summary


def test_a_missing_feedback_page_is_written_by_the_report(tmp_path: Path):
    results = sample_class()[:2]
    write_class(tmp_path, results)
    (tmp_path / "bob" / "feedback.html").unlink()
    write_report(tmp_path)
    assert "Feedback for bob" in (tmp_path / "bob" / "feedback.html").read_text()


def test_merge_writes_the_class_report(tmp_path: Path):
    shards = []
    for k, result in enumerate(sample_class()[:2], start=1):
        shard = tmp_path / f"shard{k}"
        shard.mkdir()
        journal = Journal(shard / "journal.sqlite")
        journal.record(result.name, f"digest{k}", result)
        journal.close()
        write_run_record(shard, shard=f"{k}/2", seed=4242, grader="g")
        shards.append(shard)
    out = tmp_path / "merged"
    assert main(["merge", *map(str, shards), "--out", str(out)]) == 0
    page = (out / "report.html").read_text()
    assert 'href="alice/feedback.html"' in page and 'href="bob/feedback.html"' in page
    assert (out / "report" / "pass_rate.png").is_file()


def test_junit_messages_carry_the_rationale_and_types_the_diagnosis(tmp_path: Path):
    results = sample_class()
    path = tmp_path / "junit.xml"
    path.write_text(junit_xml(results))
    suites = {suite.name: suite for suite in junitparser.JUnitXml.fromfile(str(path))}
    (bob,) = [case for case in suites["bob"] if case.name == STEP]
    (failure,) = bob.result
    assert isinstance(failure, junitparser.Failure)
    assert failure.message == f"step got {Verdict.FAILED.value}"
    assert failure.type == "ascent-instead-of-descent"
    (sigmoid,) = [case for case in suites["dave"] if case.name == "04_sigmoid_delta:sigmoid"]
    (error,) = sigmoid.result
    assert isinstance(error, junitparser.Error)
    assert error.message == "sigmoid() raised ValueError (line 4): boom <b>"
    assert error.type == "error"


def test_junit_stays_readable_whatever_a_student_printed(tmp_path: Path):
    printed = submission("eve", {STEP: Verdict.FAILED}, output="\x1b[31mred\x00\x07 done",
                         rationale="wrong\x01 sign")
    path = tmp_path / "junit.xml"
    path.write_text(junit_xml([printed]))
    (suite,) = list(junitparser.JUnitXml.fromfile(str(path)))
    (case,) = [case for case in suite if case.name == STEP]
    assert case.result[0].message == "wrong\ufffd sign"
    assert "\ufffd[31mred\ufffd\ufffd done" in case.result[0].text
