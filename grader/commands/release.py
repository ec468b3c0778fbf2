"""`descent release OUT_DIR`: write the student repo of this course, ready to push."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from grader import __version__
from grader.course_dir import find_course
from grader.i18n import _
from grader.release.build import release

__all__ = ["register"]


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "release", help=_("write the student repo: stubs, pinned grader, workflow, manifest; "
                          "--lang zh makes Chinese its default"))
    parser.add_argument("out", type=Path, metavar="OUT_DIR", help=_("an empty folder (or new)"))
    parser.add_argument("--force", action="store_true",
                        help=_("replace a previous release in OUT_DIR (its .git is kept)"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, console: Console) -> int:
    released = release(find_course(args.course), args.out, force=args.force)
    stubs = sum(1 for name in released.files if name.startswith("exercises/"))
    console.print(_("Released the course to [bold]{root}[/]: {stubs} stubs, descent {version} "
                    "vendored in .descent/package, the Classroom workflow, and a manifest of "
                    "{hashed} hashed grading files. No solutions.").format(
                        root=released.root, stubs=stubs, version=__version__,
                        hashed=len(released.hashed)), highlight=False)
    console.print(_("Next: push it as a template repository and use it as a GitHub Classroom "
                    "assignment's starter code (see the README's Classroom section)."))
    return 0
