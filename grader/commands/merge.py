"""`descent merge SHARD_DIR… --out OUT_DIR`: combine sharded runs into the files one run writes."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from grader.batch.journal import Journal
from grader.batch.outputs import write_submission_files
from grader.batch.run import write_all
from grader.errors import UsageError
from grader.model import SubmissionResult

__all__ = ["register"]


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("merge", help="combine the outputs of sharded grading runs")
    parser.add_argument("shards", nargs="+", type=Path, metavar="SHARD_DIR")
    parser.add_argument("--out", type=Path, required=True, metavar="OUT_DIR")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, console: Console) -> int:
    rows: dict[str, tuple[str, SubmissionResult]] = {}
    for shard in args.shards:
        if not (shard / "journal.sqlite").is_file():
            raise UsageError(f"{shard} holds no journal.sqlite",
                             next_step="pass the --out folders of `descent grade --shard` runs")
        journal = Journal(shard / "journal.sqlite")
        try:
            for digest, result in journal.rows():
                if result.name in rows and rows[result.name][0] != digest:
                    raise UsageError(f"{result.name} was graded differently in two shards")
                rows[result.name] = (digest, result)
        finally:
            journal.close()
    seeds = {result.seed for _, result in rows.values()}
    if len(seeds) > 1:
        raise UsageError(f"the shards were graded with different seeds {sorted(seeds)}")
    merged = Journal(args.out / "journal.sqlite")
    try:
        for name in sorted(rows):
            digest, result = rows[name]
            merged.record(name, digest, result)
            write_submission_files(args.out, result)
    finally:
        merged.close()
    results = [rows[name][1] for name in sorted(rows)]
    write_all(args.out, results, seeds.pop() if seeds else 0, [])
    console.print(f"Merged {len(results)} submissions from {len(args.shards)} shards into "
                  f"{args.out}.")
    return 0
