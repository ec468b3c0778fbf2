"""The `descent` command line: tutor (default), check, hint, grade and list."""

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
    parser = argparse.ArgumentParser(
        prog="descent",
        description="Tutor and grader for the mathematics of gradient descent. "
        "With no command, opens the terminal tutor on the course in this folder.",
    )
    parser.add_argument("--version", action="version", version=f"descent {__version__}")
    parser.add_argument("--course", type=Path, help="the course folder (default: found upward)")
    commands = parser.add_subparsers(dest="command")

    check = commands.add_parser("check", help="grade your exercises/ and explain every verdict")
    check.add_argument("exercises", nargs="*", metavar="EXERCISE",
                       help="exercise ids or numbers (default: all)")
    check.add_argument("--json", action="store_true", help="print the results as JSON")
    check.add_argument("--seed", type=int, help="seed for the drawn inputs")

    hint = commands.add_parser("hint", help="show the next hint tier for a test")
    hint.add_argument("test", metavar="TEST", help='a test name, e.g. "01_quadratic:derivative"')

    grade = commands.add_parser("grade", help="batch-grade submission folders (instructors)")
    grade.add_argument("submissions", nargs="+", type=Path, metavar="SUBMISSION_DIR",
                       help="folders holding exercises/, or folders of such folders")
    grade.add_argument("--out", type=Path, required=True, metavar="OUT_DIR")
    grade.add_argument("--seed", type=int, help="base seed for the drawn inputs")

    commands.add_parser("list", help="list the exercises and their tests")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    console = Console(stderr=False)
    try:
        if args.command == "check":
            from grader.commands import run_check

            return run_check(console, args.course, args.exercises, args.seed, args.json)
        if args.command == "hint":
            from grader.commands import run_hint

            return run_hint(console, args.course, args.test)
        if args.command == "grade":
            from grader.commands import run_grade

            return run_grade(console, args.submissions, args.out, args.seed)
        if args.command == "list":
            from grader.commands import run_list

            return run_list(console)
        return _tutor(args.course)
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
