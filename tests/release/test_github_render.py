"""The GitHub renderer: command escaping, Markdown safety, Classroom's statuses and scores."""

from __future__ import annotations

import json

from grader.model import CheckResult, SubmissionResult, Verdict
from grader.render.github import (
    annotations,
    classroom_result,
    encode_output,
    escape_data,
    escape_property,
    step_summary,
    workflow_command,
)


def _result(*tests: CheckResult) -> SubmissionResult:
    return SubmissionResult(name="s", tests=tests, execution_time=0.1, grader_version="0.1.0",
                            seed=1, isolation="test")


def _check(function: str, verdict: Verdict, score: float, rationale: str = "because",
           **extra: object) -> CheckResult:
    return CheckResult(exercise="03_update_step", function=function, verdict=verdict,
                       score=score, max_score=2.0, rationale=rationale,
                       file="exercises/03_update_step.py", line=12, **extra)


def test_messages_and_properties_are_escaped_as_github_requires():
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert workflow_command("error", "x\ny: 50%", file="exercises/a b.py", line=3,
                            title="t:1, t:2", col=None) == (
        "::error file=exercises/a b.py,line=3,title=t%3A1%2C t%3A2::x%0Ay: 50%25")
    assert workflow_command("notice", "plain") == "::notice::plain"


def test_annotations_mark_misses_only_and_undecided_as_a_warning():
    result = _result(_check("step", Verdict.PASSED, 2.0),
                     _check("descend", Verdict.FAILED, 0.0, "off by\none"),
                     _check("other", Verdict.UNDECIDED, 0.0))
    lines = annotations(result)
    assert [line.split(" ", 1)[0] for line in lines] == ["::error", "::warning"]
    assert lines[0].startswith("::error file=exercises/03_update_step.py,line=12,"
                               "title=03_update_step%3Adescend failed (0/2)::failed (0/2)%0A")
    assert "off by%0Aone" in lines[0] and "\n" not in lines[0]


def test_summary_cells_and_fences_survive_hostile_feedback():
    tricky = _check("descend", Verdict.ERROR, 0.0, "a | b <script> ```", notes=("````x",))
    summary = step_summary(_result(tricky), fingerprint="abc")
    row = next(line for line in summary.splitlines() if "`03_update_step:descend`" in line)
    assert r"a \| b &lt;script&gt;" in row and "<script>" not in summary.split("### Feedback")[0]
    assert "`````text\n" in summary  # a fence longer than any backtick run in the feedback


def test_classroom_statuses_and_scores():
    result = _result(_check("step", Verdict.PASSED, 2.0), _check("a", Verdict.FAILED, 0.0),
                     _check("b", Verdict.NOT_ATTEMPTED, 0.0), _check("c", Verdict.ERROR, 0.0),
                     _check("d", Verdict.UNDECIDED, 0.0), _check("e", Verdict.PASSED, 0.5))
    data = classroom_result(result)
    assert [t["status"] for t in data["tests"]] == ["pass", "fail", "fail", "error", "error",
                                                    "pass"]
    assert data["status"] == "fail" and data["max_score"] == 12
    assert [t["score"] for t in data["tests"]] == [2, 0, 0, 0, 0, 0.5]
    assert isinstance(data["tests"][0]["score"], int)
    assert "\n" not in encode_output(data)
    assert json.loads(__import__("base64").b64decode(encode_output(data))) == data
