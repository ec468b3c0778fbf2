"""The `descent` subcommands: each module registers its parser and its `run`."""

from grader.commands import (
    autograde,
    check,
    ci,
    dev,
    grade,
    gradescope,
    hint,
    listing,
    merge,
    release,
    report,
)

__all__ = ["COMMANDS"]

# Order is the order of `descent --help`.
COMMANDS = (check, hint, grade, report, merge, listing, release, gradescope, autograde, ci, dev)
