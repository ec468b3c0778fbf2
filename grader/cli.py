"""The `descent` command line: the tutor by default, and the subcommands in grader.commands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from grader import __version__
from grader.errors import DescentError, UsageError

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    from grader.commands import COMMANDS

    parser = argparse.ArgumentParser(
        prog="descent",
        description="Tutor and grader for the mathematics of gradient descent. "
        "With no command, opens the terminal tutor on the course in this folder.",
    )
    parser.add_argument("--version", action="version", version=f"descent {__version__}")
    parser.add_argument("--course", type=Path, help="the course folder (default: found upward)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        run = getattr(args, "run", None)
        if run is None:
            return _tutor(args.course)
        return int(run(args, Console()))
    except DescentError as exc:
        Console(stderr=True).print(f"[bold red]descent:[/] {exc}", highlight=False)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


def _tutor(course: Path | None) -> int:
    from grader.course_dir import find_course

    folder = find_course(course)
    try:
        from tui.app import run_tutor
    except ImportError as exc:  # pragma: no cover - the tui package ships with descent
        raise UsageError(f"the tutor cannot start ({exc})", next_step="use `descent check`") from exc
    return run_tutor(folder)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
