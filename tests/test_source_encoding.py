"""Source files are read as Python reads them: a coding line or a UTF-8 BOM is honoured."""

from __future__ import annotations

import pytest

from grader.model import Verdict
from grader.source_text import SourceEncodingError, decode_source
from tests.conftest import SOLUTIONS, Build, grade_one

_SOLUTION_03 = (SOLUTIONS / "03_update_step.py").read_text(encoding="utf-8")
_SHOWN = "exercises/03_update_step.py"


def _grade(make_submission: Build, content: bytes, name: str = "student") -> list:
    return list(grade_one(make_submission(name, exercise03=content), "03").tests)


def test_a_latin1_file_with_a_coding_line_is_graded(make_submission: Build):
    # The solution's few non-Latin-1 characters (in comments) become "?".
    content = ("# -*- coding: latin-1 -*-\n# Étape de descente, façon René\n" + _SOLUTION_03
               + "\nGREETING = 'salut, ça va'\n").encode("latin-1", errors="replace")
    assert b"\xc9tape" in content and b"\xe7a va" in content  # really Latin-1 bytes
    tests = _grade(make_submission, content)
    assert [t.verdict for t in tests] == [Verdict.PASSED, Verdict.PASSED], tests[0].rationale


def test_a_utf8_file_with_a_byte_order_mark_is_graded_and_lines_stay_true(
        make_submission: Build):
    tests = _grade(make_submission, b"\xef\xbb\xbf" + _SOLUTION_03.encode("utf-8"))
    assert [t.verdict for t in tests] == [Verdict.PASSED, Verdict.PASSED], tests[0].rationale
    broken = "import numpy as np\n\ndef step(w, grad, lr):\n    return 1 / 0\n"
    step, _ = _grade(make_submission, b"\xef\xbb\xbf" + broken.encode("utf-8"), "broken")
    assert step.verdict is Verdict.ERROR
    assert "ZeroDivisionError (line 4)" in step.rationale
    assert step.line == 3


def test_a_cp1252_file_without_a_coding_line_is_a_clear_error(make_submission: Build):
    content = ("# “smart quotes” from a Windows editor\n" + _SOLUTION_03).encode(
        "cp1252", errors="replace")
    tests = _grade(make_submission, content)
    assert {t.verdict for t in tests} == {Verdict.ERROR}
    why = tests[0].rationale
    assert f"{_SHOWN} is not valid UTF-8 (line 1, column 3)" in why
    assert "save it as UTF-8" in why and "coding" in why


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"# -*- coding: klingon -*-\nx = 1\n", "declares the encoding 'klingon'"),
        (b"# coding: ascii\n# caf\xe9\n", "is not valid ascii, the encoding its coding line"),
        (b"# coding: hex\nx = 1\n", "declares the encoding 'hex'"),
        (b"# coding: undefined\nx = 1\n", "does not decode as undefined"),
        (b"\xef\xbb\xbf# coding: latin-1\nx = 1\n", "byte order mark"),
    ],
)
def test_a_coding_line_that_cannot_be_honoured_is_a_clear_error(
        make_submission: Build, content: bytes, words: str):
    tests = _grade(make_submission, content)
    assert {t.verdict for t in tests} == {Verdict.ERROR}
    assert f"{_SHOWN} " in tests[0].rationale
    assert words in tests[0].rationale, tests[0].rationale


def test_decoding_follows_python() -> None:
    assert decode_source(b"\xef\xbb\xbfx = 1\n") == "x = 1\n"
    assert decode_source(b"# vim: set fileencoding=cp1252 :\ns = '\x93'\n").endswith("s = '“'\n")
    with pytest.raises(SourceEncodingError) as raised:
        decode_source(b"x = 1\ny = '\xff'\n")
    assert raised.value.next_step and "line 2" in raised.value.message
