"""Every corpus submission fails where its manifest says, and gets the diagnosis pinned there."""

from __future__ import annotations

import pytest

from grader.model import Verdict
from tests.corpus import ENTRIES, Entry, grade_entry


def test_the_corpus_is_large_enough_and_each_file_is_listed():
    assert len(ENTRIES) >= 60
    listed = {entry.path for entry in ENTRIES}
    assert listed == {path for path in ENTRIES[0].path.parent.parent.glob("0*/*.py")}


@pytest.mark.parametrize("entry", ENTRIES, ids=[entry.name for entry in ENTRIES])
def test_a_corpus_submission_fails_with_its_diagnosis(entry: Entry):
    results = grade_entry(entry)
    for function, expected in entry.expected.items():
        result = results[function]
        assert result.verdict is Verdict.FAILED, f"{function}: {result.rationale}"
        if expected:
            assert result.diagnosis is not None, f"{function}: {result.rationale}"
            assert result.diagnosis.name == expected, result.diagnosis.message
