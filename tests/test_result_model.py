"""The result model's plain-data form: every field kept, and read back to an equal result."""

from __future__ import annotations

import dataclasses
import json

from grader.model import CheckResult, Counterexample, Diagnosis, SubmissionResult, Verdict


def _full_check() -> CheckResult:
    return CheckResult(
        exercise="03_update_step", function="step", verdict=Verdict.FAILED, score=0.0,
        max_score=2.0, rationale="moves uphill", expected=[[1.5, -2.0]], actual=[[2.5, 0.0]],
        counterexample=Counterexample({"w": [1.0], "lr": 0.1}, [0.9], [1.1]),
        diagnosis=Diagnosis("sign-flipped", "subtract the gradient"),
        hints=("03_update_step:step#1",), notes=("inputs: …",), output="hello\n",
        duration=0.0123, file="exercises/03_update_step.py", line=7,
    )


def test_check_result_dict_names_every_field() -> None:
    data = _full_check().to_dict()
    names = {f.name for f in dataclasses.fields(CheckResult)}
    assert set(data) == names | {"test"}
    assert data["test"] == "03_update_step:step"
    assert data["diagnosis"] == {"name": "sign-flipped", "message": "subtract the gradient"}


def test_submission_result_survives_json_round_trip() -> None:
    result = SubmissionResult(name="ada", tests=(_full_check(),), execution_time=0.5,
                              grader_version="1.0", seed=7, isolation="rlimits",
                              notes=("resumed",))
    again = SubmissionResult.from_dict(json.loads(json.dumps(result.to_dict())))
    assert again == result
    assert again.tests[0].counterexample == _full_check().counterexample
