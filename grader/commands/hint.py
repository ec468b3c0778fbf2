"""`descent hint TEST`: the next hint tier for one test, recorded in the progress store."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.markup import escape

from grader.course import find_test
from grader.course_dir import find_course
from grader.i18n import _
from grader.progress import ProgressStore

__all__ = ["register"]


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("hint", help=_("show the next hint tier for a test"))
    parser.add_argument("test", metavar="TEST",
                        help=_('a test name, e.g. "01_quadratic:derivative"'))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, console: Console) -> int:
    """Show the tiers seen so far plus the next one; tiers already seen stay visible."""
    entry, function = find_test(args.test)
    tiers = entry.hints.get(function, ())
    test = f"{entry.id}:{function}"
    store = ProgressStore(find_course(args.course))
    already = store.hints_seen(test)
    shown = store.reveal_hint(test, len(tiers))
    store.show_warnings()
    # Course texts hold brackets ([w0, w1, …], trajectory[k]) that are not Rich markup.
    console.print(f"[bold]{test}[/] — {escape(entry.tasks.get(function, ''))}")
    for number, text in enumerate(tiers[:shown], start=1):
        fresh = "  [green]({})[/]".format(_("new")) if number > already else ""
        heading = _("hint {number} of {total}").format(number=number, total=len(tiers))
        console.print(f"[bold]{heading}[/]{fresh}\n  {escape(text)}")
    if shown == len(tiers):
        console.print("[dim]{}[/]".format(_("That is the last hint for this test.")))
    return 0
