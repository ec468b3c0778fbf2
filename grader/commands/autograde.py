"""`descent autograde`: the run inside Gradescope (called by the bundle's scripts)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from rich.console import Console

from grader import __version__
from grader.gradescope.autograde import AutograderPaths, run_guarded
from grader.gradescope.scripts import ROOT_ENV
from grader.i18n import _
from grader.isolation import detect
from grader.release.manifest import verify

__all__ = ["register"]


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "autograde", help=_("inside Gradescope: grade the submission, write results.json"))
    parser.add_argument("--root", type=Path, metavar="DIR",
                        help=_("Gradescope's folder (default: ${env}, else /autograder)")
                        .format(env=ROOT_ENV))
    parser.add_argument("--check-install", action="store_true",
                        help=_("check that the installed grader is the bundle's, file for "
                               "file, and print the isolation mode (setup.sh runs this)"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, console: Console) -> int:
    paths = AutograderPaths.find(args.root)

    def log(line: str) -> None:
        console.out(line, highlight=False)  # Gradescope's log: plain lines, no markup

    if args.check_install:
        return _check_install(paths, log)
    return run_guarded(paths, log)


def _check_install(paths: AutograderPaths, log: Callable[[str], None]) -> int:
    """1 when any installed or bundled grading file differs from the bundle's manifest."""
    modified = verify(paths.source)
    for modification in modified:
        log(_("not as bundled: {modification}").format(modification=modification))
    if modified:
        log(_("The installed grader is not the one in this bundle: rebuild the image."))
        return 1
    log(_("descent {version} installed as bundled; student code will run under isolation: "
          "{isolation}").format(version=__version__, isolation=detect().name))
    return 0
