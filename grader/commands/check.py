"""`descent check`: grade the student's own exercises/ and explain every verdict."""

from __future__ import annotations

import argparse
import json

from rich.console import Console

from grader.course import CATALOG, find_exercise
from grader.course_dir import find_course
from grader.course_stubs import swap_notice
from grader.engine import Settings, grade
from grader.i18n import _, language
from grader.progress import ProgressStore
from grader.render.terminal import print_report

__all__ = ["register"]


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("check", help=_("grade your exercises/ and explain every verdict"))
    parser.add_argument("exercises", nargs="*", metavar="EXERCISE",
                        help=_("exercise ids or numbers (default: all)"))
    parser.add_argument("--json", action="store_true", help=_("print the results as JSON"))
    parser.add_argument("--seed", type=int, help=_("seed for the drawn inputs"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, console: Console) -> int:
    """Exit 0 only when every selected test passes."""
    folder = find_course(args.course)
    selected = [find_exercise(name) for name in args.exercises] if args.exercises else list(CATALOG)
    settings = Settings() if args.seed is None else Settings(seed=args.seed)
    # As the tutor does: a student who starts with `descent check` meets their language too.
    notice = swap_notice(folder, [entry.id for entry in CATALOG], language())
    if notice:  # on stderr, so --json output stays one JSON document
        Console(stderr=True).print(notice, style="yellow", highlight=False, markup=False)
    with console.status(_("Grading…"), spinner="dots"):
        result = grade(folder / "exercises", name="local", exercises=selected, settings=settings)
    store = ProgressStore(folder)
    store.record_results(
        {t.test: {"verdict": t.verdict.value, "score": t.score} for t in result.tests}
    )
    store.show_warnings()
    if args.json:
        console.out(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        print_report(console, result, selected)
    return 0 if result.all_passed else 1
