"""`descent report OUT_DIR`: the HTML class report (with PNG charts) of a grading run."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from grader.batch.report import write_report
from grader.i18n import _

__all__ = ["register"]


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "report", help=_("write the HTML class report of a grading run (OUT_DIR/report.html), "
                         "in the --lang language"))
    parser.add_argument("out", type=Path, metavar="OUT_DIR")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, console: Console) -> int:
    console.print(_("Class report: {path}").format(path=write_report(args.out)))
    return 0
