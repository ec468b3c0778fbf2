"""`descent gradescope OUT.zip`: the Gradescope autograder bundle of this course."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from grader import __version__
from grader.course_dir import find_course
from grader.gradescope.bundle import build_bundle
from grader.i18n import _
from grader.render.gradescope import VISIBILITIES
from grader.secret import SECRET_ENV

__all__ = ["register"]


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "gradescope", help=_("write a Gradescope autograder zip (pinned grader, no solutions)"))
    parser.add_argument("out", type=Path, metavar="OUT.zip", help=_("the zip to write"))
    parser.add_argument("--visibility", choices=VISIBILITIES, default="visible",
                        help=_("when students see each test's result (default: visible)"))
    parser.add_argument("--secret-file", type=Path, metavar="FILE",
                        help=_("draw the inputs from the secret in FILE, as `descent grade "
                               "--secret-file` does (also ${env}; default: a new secret, kept "
                               "in the zip)").format(env=SECRET_ENV))
    parser.add_argument("--force", action="store_true", help=_("replace OUT.zip if it exists"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, console: Console) -> int:
    bundle = build_bundle(find_course(args.course), args.out, visibility=args.visibility,
                          secret_file=args.secret_file, force=args.force)
    console.print(_("Wrote [bold]{path}[/]: setup.sh, run_autograder and descent {version} "
                    "vendored ({files} files, no solutions); test results {visibility}; inputs "
                    "from the {origin} (fingerprint {fingerprint}).").format(
                        path=bundle.path, version=__version__, files=len(bundle.entries),
                        visibility=args.visibility, origin=bundle.secret_origin,
                        fingerprint=bundle.secret_identity), highlight=False)
    console.print(_("Next: in Gradescope, create a Programming Assignment, open Configure "
                    "Autograder, upload this zip and build the image (see the README's "
                    "Gradescope section). Keep the zip private: it holds the grading secret."),
                  highlight=False)
    return 0
