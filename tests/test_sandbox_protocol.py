"""The sandbox's request and reply stream: every reply is read as the answer it belongs to."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from grader.forking import Child
from grader.sandbox import Limits, Outcome, Sandbox

_SOURCE = """\
import sys


def refused(x):
    # The child is the student's: its encoder can be swapped for one the grader refuses.
    sys.modules["grader.child"].encode_answer = lambda value: {"$not-a-kind": 1}
    return x


def plus_one(x):
    return x + 1
"""


def test_after_a_refused_reply_the_next_request_gets_its_own_answer(tmp_path: Path) -> None:
    path = tmp_path / "swapped.py"
    path.write_text(_SOURCE, encoding="utf-8")
    with Sandbox(Limits(import_seconds=20.0, call_seconds=20.0)) as sandbox:
        loaded, _ = sandbox.load("swapped", str(path), _SOURCE)
        assert loaded.returned
        # The child answers both cases; the grader stops reading at the refused first one.
        first = sandbox.call_cases("swapped", "refused", [((1.0,), ()), ((2.0,), ())])
        assert [outcome.outcome for outcome in first] == [Outcome.MALFORMED]
        after = sandbox.call("swapped", "plus_one", (1.0,))
        assert after.outcome is Outcome.RETURNED and after.value == 2.0


def test_calls_made_with_the_import_come_back_in_order(tmp_path: Path) -> None:
    path = tmp_path / "calls.py"
    path.write_text(_SOURCE, encoding="utf-8")
    with Sandbox(Limits(import_seconds=20.0, call_seconds=20.0)) as sandbox:
        loaded, answers = sandbox.load("calls", str(path), _SOURCE, [
            ("plus_one", [((1.0,), ()), ((5.0,), ())]),
            ("missing", [((1.0,), ())]),
            ("plus_one", [((-1.0,), ())]),
        ])
    assert loaded.returned
    assert [[outcome.outcome for outcome in call] for call in answers] == [
        [Outcome.RETURNED, Outcome.RETURNED], [Outcome.MISSING], [Outcome.RETURNED]]
    assert [outcome.value for outcome in answers[0] + answers[2]] == [2.0, 6.0, 0.0]


def test_output_goes_with_its_reply_when_the_child_has_run_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = ("print('while importing')\n\n\ndef shout(x):\n    print('called with', x)\n"
              "    return x\n")
    path = tmp_path / "loud.py"
    path.write_text(source, encoding="utf-8")
    receive = Child.receive

    def late(child: Child, timeout: float) -> object:
        time.sleep(0.2)  # by now the child has answered every case and printed for each
        return receive(child, timeout)

    monkeypatch.setattr(Child, "receive", late)
    with Sandbox(Limits(import_seconds=20.0, call_seconds=20.0)) as sandbox:
        loaded, (answers,) = sandbox.load("loud", str(path), source,
                                          [("shout", [((1,), ()), ((2,), ())])])
    assert loaded.output == "while importing\n"
    assert [outcome.output for outcome in answers] == ["called with 1\n", "called with 2\n"]
