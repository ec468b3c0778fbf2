"""`descent merge` takes exactly one complete set of shards, at one seed and one grader."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from grader.batch.journal import Journal
from grader.batch.outputs import write_run_record
from grader.batch.pool import unreadable_result
from grader.commands import merge
from grader.engine import Settings
from grader.errors import UsageError


def _shard(folder: Path, shard: str | None, names: list[str], *, seed: int = 7,
           grader: str = "g1") -> Path:
    """A shard's OUT_DIR as `descent grade --shard` leaves it: a journal and run.json."""
    folder.mkdir(parents=True)
    journal = Journal(folder / "journal.sqlite")
    for name in names:
        journal.record(name, f"digest-{name}", unreadable_result(name, "x", Settings(seed=seed)))
    journal.close()
    write_run_record(folder, shard=shard, seed=seed, grader=grader)
    return folder


def _merge(tmp_path: Path, *shards: Path) -> int:
    args = argparse.Namespace(shards=list(shards), out=tmp_path / "merged")
    return merge.run(args, Console(file=io.StringIO()))


def test_a_complete_set_merges(tmp_path: Path):
    shards = [_shard(tmp_path / f"s{k}", f"{k}/3", [f"student{k}"]) for k in (3, 1, 2)]
    assert _merge(tmp_path, *shards) == 0
    merged = json.loads((tmp_path / "merged" / "all_results.json").read_text())
    assert [s["name"] for s in merged["submissions"]] == ["student1", "student2", "student3"]
    record = json.loads((tmp_path / "merged" / "run.json").read_text())
    assert record["shard"] is None and record["seed"] == 7


@pytest.mark.parametrize(
    ("shards", "words"),
    [
        ([("1/3", 7, "g1"), ("3/3", 7, "g1")], "missing shard 2/3"),
        ([("1/2", 7, "g1"), ("1/2", 7, "g1"), ("2/2", 7, "g1")], "shard 1/2 was given twice"),
        ([("1/2", 7, "g1"), ("2/3", 7, "g1")], "split the class in different ways"),
        ([("1/2", 7, "g1"), ("2/2", 8, "g1")], "different seeds (7, 8)"),
        ([("1/2", 7, "g1"), ("2/2", 7, "g2")], "different graders (g1, g2)"),
        ([("1/1", 7, "g1"), (None, 7, "g1")], "was not sharded"),
    ],
)
def test_an_incomplete_repeated_or_mixed_set_is_refused(tmp_path: Path, shards, words):
    folders = [_shard(tmp_path / f"s{i}", shard, [f"student{i}"], seed=seed, grader=grader)
               for i, (shard, seed, grader) in enumerate(shards)]
    with pytest.raises(UsageError) as caught:
        _merge(tmp_path, *folders)
    assert words in str(caught.value)
    assert not (tmp_path / "merged").exists()


def test_a_folder_without_a_run_record_is_refused(tmp_path: Path):
    folder = _shard(tmp_path / "old", "1/1", ["a"])
    (folder / "run.json").unlink()
    with pytest.raises(UsageError, match=r"no readable run\.json"):
        _merge(tmp_path, folder)


def test_an_unsafe_name_in_a_shard_journal_is_refused(tmp_path: Path):
    folder = _shard(tmp_path / "forged", "1/1", ["../../escape"])
    with pytest.raises(UsageError, match="unsafe name"):
        _merge(tmp_path, folder)
    assert not (tmp_path / "escape").exists()
