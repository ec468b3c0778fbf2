"""A broken .descent/progress.json is set aside with a warning and rebuilt, never a crash."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from grader.cli import main
from grader.progress import ProgressStore
from tests.conftest import EXERCISES, SOLUTIONS

_TEST = "03_update_step:descend"
_GOOD = json.dumps({"hints": {_TEST: 2}, "results": {_TEST: {"verdict": "failed", "score": 0}}})


def _write(text: str | bytes) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.write_bytes(text if isinstance(text, bytes) else text.encode())

    return make


BROKEN: dict[str, Callable[[Path], None]] = {
    "invalid JSON": _write("{hints: 1}"),
    "truncated": _write(_GOOD[: len(_GOOD) // 2]),
    "binary": _write(bytes(range(256)) * 4),
    "empty": _write(""),
    "a list at the top": _write("[1, 2, 3]"),
    "a string for the hints": _write('{"hints": "all of them"}'),
    "a string for a hint count": _write(json.dumps({"hints": {_TEST: "two"}})),
    "a negative hint count": _write(json.dumps({"hints": {_TEST: -4}})),
    "NaN for a hint count": _write(json.dumps({"hints": {_TEST: float("nan")}})),
    "a list for the results": _write('{"results": []}'),
    "a string for a score": _write(json.dumps({"results": {_TEST: {"score": "ten"}}})),
    "a folder in its place": lambda path: (path / "inside").mkdir(parents=True),
}


def _course(tmp_path: Path, source: Path, broken: str) -> Path:
    shutil.copytree(source, tmp_path / "exercises")
    (tmp_path / ".descent").mkdir()
    BROKEN[broken](tmp_path / ".descent" / "progress.json")
    return tmp_path


def _set_aside(course: Path) -> list[Path]:
    return sorted((course / ".descent").glob("progress.json.broken-*"))


@pytest.mark.parametrize("broken", sorted(BROKEN))
def test_the_store_sets_a_broken_file_aside_and_starts_afresh(tmp_path: Path, broken: str):
    course = _course(tmp_path, EXERCISES, broken)
    original = course / ".descent" / "progress.json"
    before = original.read_bytes() if original.is_file() else None
    store = ProgressStore(course)
    assert store.load() == {}
    (aside,) = _set_aside(course)
    if before is not None:
        assert aside.read_bytes() == before  # nothing is lost
    else:
        assert (aside / "inside").is_dir()
    warnings = store.take_warnings()
    assert len(warnings) == 1 and aside.name in warnings[0]
    assert ".descent/progress.json" in warnings[0]
    assert store.take_warnings() == []
    assert store.reveal_hint(_TEST, 3) == 1
    assert json.loads(original.read_text()) == {"hints": {_TEST: 1}}
    assert ProgressStore(course).load() == {"hints": {_TEST: 1}}
    assert _set_aside(course) == [aside]


def test_a_valid_file_is_used_as_it_is(tmp_path: Path):
    (tmp_path / ".descent").mkdir()
    (tmp_path / ".descent" / "progress.json").write_text(_GOOD)
    store = ProgressStore(tmp_path)
    assert store.hints_seen(_TEST) == 2
    assert store.take_warnings() == [] and _set_aside(tmp_path) == []


def test_a_file_where_the_folder_should_be_is_set_aside(tmp_path: Path):
    (tmp_path / ".descent").write_text("not a folder")
    store = ProgressStore(tmp_path)
    assert store.reveal_hint(_TEST, 3) == 1
    (aside,) = tmp_path.glob(".descent.broken-*")
    assert aside.read_text() == "not a folder"
    assert store.take_warnings() and ProgressStore(tmp_path).hints_seen(_TEST) == 1


def test_two_broken_files_in_the_same_second_are_both_kept(tmp_path: Path):
    (tmp_path / ".descent").mkdir()
    path = tmp_path / ".descent" / "progress.json"
    for text in ("first", "second"):
        path.write_text(text)
        ProgressStore(tmp_path).load()
    assert sorted(p.read_text() for p in _set_aside(tmp_path)) == ["first", "second"]


def test_a_save_replaces_the_file_atomically(tmp_path: Path):
    store = ProgressStore(tmp_path)
    store.record_results({_TEST: {"verdict": "passed", "score": 2.0}})
    inode = os.stat(store.path).st_ino
    store.reveal_hint(_TEST, 3)
    assert os.stat(store.path).st_ino != inode  # a new file renamed over the old one
    assert [p.name for p in store.path.parent.iterdir()] == ["progress.json"]


@pytest.mark.parametrize("broken", sorted(BROKEN))
def test_descent_hint_warns_and_goes_on(tmp_path: Path, broken: str, capsys):
    course = _course(tmp_path, EXERCISES, broken)
    assert main(["--course", str(course), "hint", _TEST]) == 0
    out, err = capsys.readouterr()
    assert "hint 1 of" in out
    (aside,) = _set_aside(course)
    assert "warning" in err and aside.name in err
    assert ProgressStore(course).hints_seen(_TEST) == 1


@pytest.mark.parametrize("broken", sorted(BROKEN))
def test_descent_check_warns_and_goes_on(tmp_path: Path, broken: str, capsys):
    course = _course(tmp_path, SOLUTIONS, broken)
    assert main(["--course", str(course), "check", "03", "--json"]) == 0
    out, err = capsys.readouterr()
    assert all(t["verdict"] == "passed" for t in json.loads(out)["tests"])  # stdout stays JSON
    (aside,) = _set_aside(course)
    assert "warning" in err and aside.name in err
    saved = ProgressStore(course).load()["results"]
    assert saved["03_update_step:step"]["verdict"] == "passed"


def _sparse(path: Path) -> None:
    path.touch()
    os.truncate(path, 1 << 30)


@pytest.mark.parametrize("make", [os.mkfifo, _sparse], ids=["a FIFO", "a 1 GB sparse file"])
def test_what_would_hang_or_fill_memory_is_set_aside_unread(tmp_path: Path, make):
    (tmp_path / ".descent").mkdir()
    make(tmp_path / ".descent" / "progress.json")
    store = ProgressStore(tmp_path)
    assert store.load() == {}
    assert len(_set_aside(tmp_path)) == 1 and store.take_warnings()
