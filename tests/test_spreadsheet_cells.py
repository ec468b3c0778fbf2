"""CSV cells a student names cannot become spreadsheet formulas."""

from __future__ import annotations

import csv
import io

import pytest

from grader.model import SubmissionResult
from grader.render.cells import spreadsheet_text
from grader.render.gradescope import grades_csv


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://x\")", "+1+1", "-cmd|' /C calc'!A0",
                                  "@SUM(A1)", "\tTAB", "\rCR"])
def test_a_formula_is_shown_as_text(name: str) -> None:
    assert spreadsheet_text(name) == "'" + name


@pytest.mark.parametrize("value", ["alice", "Ortiz, Gina", "-2", "+3.5", "陈明", ""])
def test_names_and_numbers_stay_as_they_are(value: str) -> None:
    assert spreadsheet_text(value) == value


def test_grades_csv_neutralises_a_formula_name() -> None:
    result = SubmissionResult(name="=1+1", tests=(), execution_time=0.0, grader_version="t",
                              seed=1, isolation="rlimits")
    rows = list(csv.reader(io.StringIO(grades_csv([result], []))))
    assert rows[1][0] == "'=1+1"
