"""`descent dev check`: the course author's check (stubs fail, solutions pass, release is clean)."""

from __future__ import annotations

import argparse

from rich.console import Console

from grader.course_dir import find_course
from grader.i18n import _, ngettext
from grader.release.devcheck import dev_check

__all__ = ["register"]


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("dev", help=_("tools for the course's author"))
    tools = parser.add_subparsers(dest="dev_command", metavar="TOOL", required=True)
    check = tools.add_parser(
        "check", help=_("stubs fail, solutions pass, catalog and files agree, messages and "
                         "course texts are translated, release is clean"))
    check.set_defaults(run=run_check)


def run_check(args: argparse.Namespace, console: Console) -> int:
    """Exit 0 only when every finding holds."""
    course = find_course(args.course)
    with console.status(_("Checking the course…"), spinner="dots"):
        findings = dev_check(course)
    console.print(f"[bold]descent dev check[/] — {course}", highlight=False)
    for finding in findings:
        if finding.ok:
            console.print(f"  [green]✔[/] {finding.title} [dim]({finding.detail})[/]",
                          highlight=False)
            continue
        console.print(f"  [red]✘ {finding.title}[/]", highlight=False)
        for problem in finding.problems:
            console.print(f"      {problem}", highlight=False, markup=False)
    failed = sum(not finding.ok for finding in findings)
    if failed:
        console.print("[bold red]{}[/] {}".format(
            ngettext("{failed} of {total} check failed.", "{failed} of {total} checks failed.",
                     len(findings)).format(failed=failed, total=len(findings)),
            _("Fix them before releasing the course.")))
        return 1
    console.print("[bold green]{}[/] {}".format(
        ngettext("The {total} check passed.", "All {total} checks passed.",
                 len(findings)).format(total=len(findings)),
        _("The course is ready for `descent release`.")))
    return 0
