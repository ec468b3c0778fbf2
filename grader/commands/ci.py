"""`descent ci`: grade a released repo in GitHub Actions, for students, Classroom and artifacts."""

from __future__ import annotations

import argparse
import os
from dataclasses import replace
from pathlib import Path

from rich.console import Console

from grader.course import CATALOG
from grader.course_dir import find_course
from grader.errors import UsageError
from grader.i18n import _
from grader.release.ci import GitHubFiles, assess, publish, raise_if_modified
from grader.render.terminal import print_report
from grader.secret import for_ci

__all__ = ["register"]


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "ci", help=_("grade this repo in CI: summary, annotations, Classroom points, artifacts"))
    parser.add_argument("--artifacts", type=Path, default=Path("descent-results"),
                        metavar="DIR", help=_("where JUnit XML and Gradescope JSON go "
                                              "(default: descent-results)"))
    parser.add_argument("--fail-under", type=float, metavar="POINTS",
                        help=_("exit 1 when the score is below POINTS (default: never)"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, console: Console) -> int:
    """0 when graded (unless under --fail-under); 5 with no grade when grading files changed."""
    if args.fail_under is not None and args.fail_under < 0:
        raise UsageError(_("--fail-under must be 0 or more"),
                         next_step=_("pass a number of points, e.g. --fail-under 10"))
    root = find_course(args.course)
    source = for_ci()
    graded = assess(root, settings=source.settings)
    if source.predictable and graded.result is not None:
        # The student's own runner and the public default seed: say so wherever they look.
        note = _("Preliminary grade: {origin}. Your instructor's final grade is computed on "
                 "inputs you cannot know in advance.").format(origin=source.origin)
        graded = replace(graded, result=replace(
            graded.result, notes=(*graded.result.notes, note)))
    if graded.result is not None:
        print_report(console, graded.result, list(CATALOG))
    # Workflow commands must reach the log as whole lines: no wrapping, no markup.
    for command in publish(graded, args.artifacts, GitHubFiles.from_environ(os.environ)):
        console.out(command, highlight=False)
    raise_if_modified(graded)
    assert graded.result is not None
    console.print(_("Results in {folder}/ (junit.xml, results.json, summary.md).").format(
        folder=args.artifacts), highlight=False)
    if args.fail_under is not None and graded.result.score < args.fail_under:
        console.print(_("Score {score:g} is under --fail-under {points:g}.").format(
            score=graded.result.score, points=args.fail_under), highlight=False)
        return 1
    return 0
