"""`descent list`: the exercises of the course, their tests and points."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.table import Table

from grader.course import CATALOG
from grader.i18n import _

__all__ = ["register"]


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("list", help=_("list the exercises and their tests"))
    parser.set_defaults(run=run)


def run(_args: argparse.Namespace, console: Console) -> int:
    table = Table(_("exercise"), _("title"), _("tests"), _("points"))
    for entry in CATALOG:
        table.add_row(entry.id, entry.title, ", ".join(c.function for c in entry.checks),
                      f"{entry.max_score:g}")
    console.print(table)
    return 0
