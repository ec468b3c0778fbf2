"""The `descent` command line: the tutor by default, and the subcommands in grader.commands."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from rich.console import Console

from grader import __version__, collector_paused, import_path, nursery
from grader.errors import DescentError, UsageError
from grader.i18n import LANGUAGES, _, course_language, set_language
from grader.render.argparse_words import translate_argparse

__all__ = ["entry", "main"]

# The commands that run student code.
_GRADING = frozenset({"check", "grade", "ci", "dev", "autograde"})


def _parser() -> argparse.ArgumentParser:
    with collector_paused():  # the command modules load the engine, numpy and SymPy
        from grader.commands import COMMANDS

    parser = argparse.ArgumentParser(
        prog="descent",
        description=_("Tutor and grader for the mathematics of gradient descent. With no "
                      "command, opens the terminal tutor on the course in this folder."),
    )
    # Python 3.11's version action fixes its help in English at import: pass it translated.
    parser.add_argument("--version", action="version", version=f"descent {__version__}",
                        help=_("show program's version number and exit"))
    parser.add_argument("--course", type=Path,
                        help=_("the course folder (default: found upward)"))
    # Taken out of argv by _take_lang before parsing (it may stand after the command too);
    # declared here so --help shows it.
    parser.add_argument("--lang", choices=LANGUAGES,
                        help=_("language of every message (default: DESCENT_LANG, else the "
                               "course's default, else the system locale, else en)"))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.register(commands)
    return parser


def _tutor_course(argv: Sequence[str]) -> tuple[bool, Path | None]:
    """Whether argv asks only for the tutor (`descent [--course PATH]`), and the course."""
    if not argv:
        return True, None
    if len(argv) == 2 and argv[0] == "--course":
        return True, Path(argv[1])
    if len(argv) == 1 and argv[0].startswith("--course="):
        return True, Path(argv[0].split("=", 1)[1])
    return False, None


def _take_lang(argv: list[str]) -> tuple[list[str], str | None]:
    """argv without `--lang CODE` / `--lang=CODE` (wherever it stands), and CODE."""
    rest: list[str] = []
    code: str | None = None
    items = iter(argv)
    for item in items:
        if item == "--":
            rest += [item, *items]
            break
        if item == "--lang":
            code = next(items, "")
        elif item.startswith("--lang="):
            code = item.split("=", 1)[1]
        else:
            rest.append(item)
    if code is not None and code not in LANGUAGES:
        raise UsageError(_("unknown language {code!r}").format(code=code),
                         next_step=_("use --lang {choices}").format(
                             choices="|".join(LANGUAGES)))
    return rest, code


def _course_default(argv: Sequence[str]) -> str | None:
    """The language the course (from --course, else found upward) was released in."""
    from grader.course_dir import find_course

    named = next((Path(argv[i + 1]) for i, item in enumerate(argv[:-1]) if item == "--course"),
                 None)
    named = named or next((Path(item.split("=", 1)[1]) for item in argv
                           if item.startswith("--course=")), None)
    try:
        return course_language(find_course(named))
    except DescentError:
        return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        # Before anything prints: the flag, else DESCENT_LANG, else the locale.
        argv, code = _take_lang(argv)
        set_language(code, _course_default(argv))
        translate_argparse()
        # The tutor paints before torch loads: the command modules (which import the
        # engine) are only imported when a command is asked for.
        tutor_only, course = _tutor_course(argv)
        if tutor_only:
            return _tutor(course)
        if _GRADING.intersection(argv):
            import_path.secure()  # before numpy, SymPy and torch load, here or in the nursery
            # Workers are forked from the nursery, which imports torch on another core
            # while this process imports it for the grader.
            nursery.start()
            with collector_paused():  # the catalog loads torch only where a truth needs it
                from grader.sandbox import warm_up

                warm_up()
        args = _parser().parse_args(argv)
        run = getattr(args, "run", None)
        if run is None:
            return _tutor(args.course)
        return int(run(args, Console()))
    except DescentError as exc:
        Console(stderr=True).print(f"[bold red]descent:[/] {exc}", highlight=False)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


def entry() -> NoReturn:
    """The console script: `main`, then exit without tearing the interpreter down.

    Unloading torch and SymPy object by object took ~0.6 s after every command, longer
    than many commands themselves; every file, journal and process of ours is closed by
    the time `main` returns, so only the standard streams need flushing.
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


def _tutor(course: Path | None) -> int:
    from grader.course_dir import find_course

    folder = find_course(course)
    try:
        from tui.app import run_tutor
    except ImportError as exc:  # pragma: no cover - the tui package ships with descent
        raise UsageError(_("the tutor cannot start ({error})").format(error=exc),
                         next_step=_("use `descent check`")) from exc
    return run_tutor(folder)


if __name__ == "__main__":  # pragma: no cover
    entry()
