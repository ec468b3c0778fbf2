"""Every corpus submission fails where its manifest says, with the diagnosis pinned there, and
nowhere else: its other functions, written in a student's own style, pass undiagnosed."""

from __future__ import annotations

import pytest

from grader.model import Verdict
from tests.corpus import ENTRIES, FAILING, Entry, grade_entry


def test_the_corpus_is_large_enough_and_each_file_is_listed():
    assert len(ENTRIES) >= 60
    listed = {entry.path for entry in ENTRIES}
    assert listed == {path for path in ENTRIES[0].path.parent.parent.glob("0*/*.py")}


@pytest.mark.parametrize("entry", ENTRIES, ids=[entry.name for entry in ENTRIES])
def test_a_corpus_submission_fails_with_its_diagnosis(entry: Entry):
    results = grade_entry(entry)
    for function, expected in entry.expected.items():
        result = results[function]
        # A wrong formula may raise (shapes that do not fit): that fails the test as well.
        assert result.verdict in FAILING, f"{function}: {result.rationale}"
        if expected:
            assert result.diagnosis is not None, f"{function}: {result.rationale}"
            assert result.diagnosis.name == expected, result.diagnosis.message
    for function, result in results.items():
        if function not in entry.expected:  # a correct form, or not written in this file
            assert result.verdict in (Verdict.PASSED, Verdict.NOT_ATTEMPTED), result.rationale
            assert result.diagnosis is None, result.diagnosis
