"""`descent grade`: batch-grade submissions in parallel, resumably, into every output format."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from grader.batch.pool import default_jobs
from grader.batch.run import RunSummary, grade_run
from grader.commands.roster_options import add_roster_options, print_roster_summary, roster_from
from grader.errors import UsageError
from grader.i18n import _, ngettext
from grader.isolation import confinement_warning
from grader.model import SubmissionResult, Verdict
from grader.render.feedback import first_line
from grader.secret import SECRET_ENV, for_grading

__all__ = ["register"]


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("grade", help=_("batch-grade submissions (instructors)"))
    parser.add_argument("submissions", nargs="+", type=Path, metavar="SUBMISSION",
                        help=_("folders holding exercises/ (at any depth), zip files, or "
                               "folders of either"))
    parser.add_argument("--out", type=Path, required=True, metavar="OUT_DIR")
    parser.add_argument("--jobs", "-j", type=int, default=default_jobs(),
                        help=_("worker processes (default: one per core)"))
    parser.add_argument("--shard", metavar="K/N", help=_("grade only the K-th of N slices"))
    parser.add_argument("--seed", type=int, help=_(
        "draw the inputs from this public seed (predictable; by default they come from a "
        "secret kept in OUT_DIR)"))
    parser.add_argument("--secret-file", type=Path, metavar="FILE",
                        help=_("draw the inputs from the secret in FILE (e.g. one secret for "
                               "every shard; also ${env})").format(env=SECRET_ENV))
    parser.add_argument("--no-report", action="store_true", help=_("skip the HTML class report"))
    add_roster_options(parser)
    parser.set_defaults(run=run)


class _RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed or 0:.1f}/s", style="cyan")


def run(args: argparse.Namespace, console: Console) -> int:
    """Exit 0 whenever grading ran, whatever the students scored."""
    if args.jobs < 1:
        raise UsageError(_("--jobs must be at least 1"),
                         next_step=_("pass --jobs 1 or more, or leave it out"))
    roster, names = roster_from(args)
    source = for_grading(args.out, seed=args.seed, secret_file=args.secret_file)
    settings = source.settings
    if (unconfined := confinement_warning()) is not None:
        console.print("[bold yellow]{}[/] {}".format(_("warning:"), escape(unconfined)),
                      highlight=False)
    console.print(_("Inputs: {origin}.").format(origin=source.origin),
                  style="yellow" if source.predictable else None, highlight=False)
    columns = (TextColumn(_("grading")), BarColumn(), MofNCompleteColumn(), _RateColumn(),
               TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(_("grading"), total=None)
        summary = grade_run(
            args.submissions, args.out, settings=settings, jobs=args.jobs, shard=args.shard,
            roster=roster, names=names,
            on_start=lambda total: progress.update(task, total=total),
            on_result=lambda _result: progress.advance(task),
        )
    _print_summary(console, summary, args.out)
    if summary.matching is not None:
        print_roster_summary(console, summary.matching, args.out)
    if not args.no_report and summary.results:
        from grader.batch.report import write_report

        page = write_report(args.out)
        console.print(_("Class report: {path}").format(path=page))
    return 0


def _print_summary(console: Console, summary: RunSummary, out: Path) -> None:
    results = summary.results
    errors = [r for r in results if any(t.verdict is Verdict.ERROR for t in r.tests)]
    mean = sum(r.score for r in results) / len(results) if results else 0.0
    top = max((r.max_score for r in results), default=0.0)
    rate = summary.graded_now / summary.seconds if summary.seconds else 0.0
    console.print(ngettext(
        "[bold]{count}[/] submission: {now} graded now ({rate:.1f}/s), {resumed} unchanged "
        "from the journal. Mean score {mean:.2f}/{top:g}; {errors} with errors.",
        "[bold]{count}[/] submissions: {now} graded now ({rate:.1f}/s), {resumed} unchanged "
        "from the journal. Mean score {mean:.2f}/{top:g}; {errors} with errors.",
        len(results)).format(count=len(results), now=summary.graded_now, rate=rate,
                             resumed=summary.resumed, mean=mean, top=top, errors=len(errors)))
    slowest = sorted(results, key=lambda r: r.execution_time, reverse=True)[:5]
    if slowest and summary.graded_now:
        table = Table(_("slowest submissions"), _("time (s)"), _("score"), title=None)
        for result in slowest:
            table.add_row(result.name, f"{result.execution_time:.2f}",
                          f"{result.score:g}/{result.max_score:g}")
        console.print(table)
    for result in errors:
        console.print(f"[red]{_('error')}[/] [bold]{escape(result.name)}[/]: "
                      f"{escape(_first_error(result))}")
    for change in summary.regrades:
        moved = ", ".join(f"{c['test']} {c['before']}→{c['after']}" for c in change["changed"])
        console.print(_("regraded [bold]{name}[/]: {difference:+g} ({moved})").format(
            name=change["name"], difference=change["difference"], moved=moved))
    from grader.isolation import detect

    mode = detect().name
    style = "green" if mode.startswith("namespaces") else "yellow"
    console.print(_("Student code ran under [{style}]{mode}[/] (see SECURITY.md).").format(
        style=style, mode=mode))
    console.print(_("Results in {out}/<name>/results.json, {out}/grades.csv, {out}/junit.xml, "
                    "{out}/all_results.json.").format(out=out))


def _first_error(result: SubmissionResult) -> str:
    """Why a submission errored, in one line: its first error's rationale, shortened."""
    return first_line(next(t.rationale for t in result.tests if t.verdict is Verdict.ERROR),
                      160)
