"""A student's feedback page: what `descent check` says, every hint tier, nothing injected."""

from __future__ import annotations

from html import escape
from pathlib import Path

import pytest

from grader.batch.names import OutsideOutput
from grader.batch.outputs import write_submission_files
from grader.course import find_test
from grader.model import Verdict
from grader.render.feedback import feedback_lines
from grader.render.html import feedback_page
from tests.test_report import HOSTILE, SIGN, STEP, assert_nothing_injected, submission, tags


def test_a_miss_shows_the_terminal_lines_and_every_hint_tier():
    result = submission("bob", {STEP: Verdict.FAILED}, output="step says <hi>", **SIGN)
    page = feedback_page(result)
    (step,) = [t for t in result.tests if t.test == STEP]
    for label, text in feedback_lines(step):
        if label != "hint":
            assert f"<dt>{escape(label)}</dt>" in page
            assert escape(text) in page
    assert "<pre>step says &lt;hi&gt;</pre>" in page
    entry, function = find_test(STEP)
    assert len(entry.hints[function]) >= 3
    for tier in entry.hints[function]:
        assert f"<li>{escape(tier)}</li>" in page
    assert f"Score {result.score:g} / {result.max_score:g}" in page


def test_a_passed_test_shows_its_verdict_and_no_evidence():
    page = feedback_page(submission("alice"))
    assert "<dt>" not in page and "Hints" not in page
    assert page.count('b-passed">passed<') == len(submission("alice").tests)


def test_student_text_is_escaped_everywhere():
    hostile = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>"
    result = submission(HOSTILE[1], {STEP: Verdict.ERROR}, rationale=hostile, output=hostile)
    page = feedback_page(result)
    assert_nothing_injected(page, scripts=0)
    assert hostile not in page and HOSTILE[1] not in page
    assert escape(hostile) in page
    assert [tag for tag, _ in tags(page) if tag in ("link", "iframe", "object", "embed")] == []


def test_one_reason_for_every_test_is_said_once():
    result = submission("mallory", default=Verdict.ERROR, rationale="mallory.zip is damaged")
    page = feedback_page(result)
    assert page.count("mallory.zip is damaged") == 1
    assert "<p><b>Every test:</b> mallory.zip is damaged</p>" in page
    assert page.count('b-error">error<') == len(result.tests)


def test_the_page_is_written_beside_the_results_through_the_out_dir_check(tmp_path: Path):
    result = submission(HOSTILE[0], {STEP: Verdict.FAILED}, **SIGN)
    write_submission_files(tmp_path, result)
    page = tmp_path / HOSTILE[0] / "feedback.html"
    assert page.read_text() == feedback_page(result)
    assert (tmp_path / HOSTILE[0] / "results.json").is_file()


def test_a_link_planted_in_out_dir_is_refused_not_followed(tmp_path: Path):
    elsewhere, out = tmp_path / "elsewhere", tmp_path / "out"
    elsewhere.mkdir()
    out.mkdir()
    (out / "bob").symlink_to(elsewhere)
    with pytest.raises(OutsideOutput):
        write_submission_files(out, submission("bob", {STEP: Verdict.FAILED}, **SIGN))
    assert list(elsewhere.iterdir()) == []
