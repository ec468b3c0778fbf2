"""`descent dev check`: the course author's check (stubs fail, solutions pass, release is clean)."""

from __future__ import annotations

import argparse

from rich.console import Console

from grader.course_dir import find_course
from grader.release.devcheck import dev_check

__all__ = ["register"]


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("dev", help="tools for the course's author")
    tools = parser.add_subparsers(dest="dev_command", metavar="TOOL", required=True)
    check = tools.add_parser(
        "check", help="stubs fail, solutions pass, catalog and files agree, release is clean")
    check.set_defaults(run=run_check)


def run_check(args: argparse.Namespace, console: Console) -> int:
    """Exit 0 only when every finding holds."""
    course = find_course(args.course)
    with console.status("Checking the course…", spinner="dots"):
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
        console.print(f"[bold red]{failed} of {len(findings)} checks failed.[/] Fix them "
                      "before releasing the course.")
        return 1
    console.print(f"[bold green]All {len(findings)} checks passed.[/] The course is ready "
                  "for `descent release`.")
    return 0
