"""`descent merge SHARD_DIR… --out OUT_DIR`: combine sharded runs into the files one run writes."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from rich.console import Console

from grader.batch.intake import parse_shard
from grader.batch.journal import Journal
from grader.batch.names import RESERVED, inside, safe_name
from grader.batch.outputs import RUN_RECORD, write_run_record, write_submission_files
from grader.batch.report import write_report
from grader.batch.run import write_all
from grader.commands.roster_options import add_roster_options, print_roster_summary, roster_from
from grader.errors import UsageError
from grader.i18n import N_, _, ngettext
from grader.model import SubmissionResult

__all__ = ["register"]

_NEXT = N_("pass the --out folders of `descent grade --shard K/N` runs, one for each K of the "
           "same N")


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("merge", help=_("combine the outputs of sharded grading runs"))
    parser.add_argument("shards", nargs="+", type=Path, metavar="SHARD_DIR")
    parser.add_argument("--out", type=Path, required=True, metavar="OUT_DIR")
    add_roster_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, console: Console) -> int:
    roster, names = roster_from(args)
    records = [_record(shard) for shard in args.shards]
    _check_complete(args.shards, records)
    if args.out.exists() and not args.out.is_dir():
        raise UsageError(_("--out {out} is a file, not a folder").format(out=args.out),
                         next_step=_("name a new or existing folder for the merged results"))
    rows: dict[str, tuple[str, SubmissionResult]] = {}
    for shard in args.shards:
        journal = Journal(shard / "journal.sqlite")
        try:
            for digest, result in journal.rows():
                if safe_name(result.name) != result.name or result.name.casefold() in RESERVED:
                    raise UsageError(_("{journal} holds the unsafe name {name!r}").format(
                        journal=shard / "journal.sqlite", name=result.name),
                        next_step=_("grade that shard again"))
                if result.name in rows:
                    raise UsageError(_("{name} was graded in two shards").format(
                        name=result.name), next_step=_(_NEXT))
                rows[result.name] = (digest, result)
        finally:
            journal.close()
    args.out.mkdir(parents=True, exist_ok=True)
    merged = Journal(inside(args.out, "journal.sqlite"))
    try:
        for name in sorted(rows):
            digest, result = rows[name]
            merged.record(name, digest, result)
            write_submission_files(args.out, result)
    finally:
        merged.close()
    results = [rows[name][1] for name in sorted(rows)]
    seed = records[0]["seed"]
    write_run_record(args.out, shard=None, seed=seed, grader=records[0]["grader_fingerprint"])
    matching = write_all(args.out, results, seed, [], roster, names)
    console.print(ngettext("Merged {count} submission from {shards} shards into {out}.",
                           "Merged {count} submissions from {shards} shards into {out}.",
                           len(results)).format(count=len(results), shards=len(args.shards),
                                                out=args.out))
    print_roster_summary(console, matching, args.out)
    if results:
        console.print(_("Class report: {path}").format(path=write_report(args.out)))
    return 0


def _record(shard: Path) -> dict[str, Any]:
    """The shard's `run.json`, refused unless it records a sharded run."""
    if not (shard / "journal.sqlite").is_file():
        raise UsageError(_("{shard} holds no journal.sqlite").format(shard=shard),
                         next_step=_(_NEXT))
    try:
        record = json.loads((shard / RUN_RECORD).read_text(encoding="utf-8"))
        if not isinstance(record, dict) or not isinstance(record.get("seed"), int) or \
                not isinstance(record.get("grader_fingerprint"), str):
            raise ValueError("not a run record")
    except (OSError, ValueError) as exc:
        raise UsageError(_("{shard} holds no readable {record} ({error}), so which shard it is "
                           "cannot be told").format(shard=shard, record=RUN_RECORD, error=exc),
                         next_step=_(_NEXT)) from exc
    if not isinstance(record.get("shard"), str):
        raise UsageError(_("{shard} is the output of a run that was not sharded").format(
            shard=shard), next_step=_("it holds every submission already; {next}").format(
                next=_(_NEXT)))
    return record


def _check_complete(shards: list[Path], records: list[dict[str, Any]]) -> None:
    """Every K of one N exactly once, all at one seed and one grader."""
    seen: dict[int, Path] = {}
    sizes = {parse_shard(record["shard"])[1] for record in records}
    if len(sizes) > 1:
        raise UsageError(_("the shards split the class in different ways (N = {sizes})").format(
            sizes=", ".join(map(str, sorted(sizes)))), next_step=_(_NEXT))
    (size,) = sizes
    for shard, record in zip(shards, records, strict=True):
        k = parse_shard(record["shard"])[0]
        if k in seen:
            raise UsageError(_("shard {k}/{size} was given twice ({first} and {second})").format(
                k=k, size=size, first=seen[k], second=shard), next_step=_(_NEXT))
        seen[k] = shard
    missing = [f"{k}/{size}" for k in range(1, size + 1) if k not in seen]
    if missing:
        raise UsageError(_("missing shard {shards}: the merged grades would lack those "
                           "students").format(shards=", ".join(missing)), next_step=_(_NEXT))
    for key, what in (("seed", N_("the shards were graded with different seeds ({values})")),
                      ("grader_fingerprint",
                       N_("the shards were graded with different graders ({values})"))):
        values = {str(record[key]) for record in records}
        if len(values) > 1:
            raise UsageError(_(what).format(values=", ".join(sorted(values))),
                             next_step=_("grade every shard with the same grader and the "
                                         "same --secret-file (or --seed), then merge again"))
