"""`descent grade`: batch-grade submission folders into Gradescope results and a grades CSV."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from grader.course import CATALOG
from grader.engine import Settings, grade
from grader.errors import UsageError
from grader.model import SubmissionResult
from grader.render.gradescope import grades_csv, results_json

__all__ = ["find_submissions", "register"]


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("grade", help="batch-grade submission folders (instructors)")
    parser.add_argument("submissions", nargs="+", type=Path, metavar="SUBMISSION_DIR",
                        help="folders holding exercises/, or folders of such folders")
    parser.add_argument("--out", type=Path, required=True, metavar="OUT_DIR")
    parser.add_argument("--seed", type=int, help="base seed for the drawn inputs")
    parser.set_defaults(run=run)


def find_submissions(paths: list[Path]) -> list[tuple[str, Path]]:
    """(name, exercises folder) for every submission the given paths hold."""
    found: list[tuple[str, Path]] = []
    for path in paths:
        if not path.is_dir():
            raise UsageError(f"{path} is not a folder",
                             next_step="pass folders that hold exercises/ (or folders of them)")
        folder = path.resolve()
        if (folder / "exercises").is_dir():
            found.append((folder.name, folder / "exercises"))
            continue
        children = sorted(p for p in folder.iterdir() if p.is_dir())
        if any((child / "exercises").is_dir() for child in children):
            found.extend((child.name, child / "exercises") for child in children)
        else:  # graded as a submission with nothing in it, so it still gets a result
            found.append((folder.name, folder / "exercises"))
    names = [name for name, _ in found]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise UsageError(f"two submissions share the name {duplicates[0]!r}",
                         next_step="rename one folder: results are written per folder name")
    return found


def run(args: argparse.Namespace, console: Console) -> int:
    """Grade each submission, write its results.json, then grades.csv; 0 when grading ran."""
    paths, out, seed = args.submissions, args.out, args.seed
    submissions = find_submissions(paths)
    out.mkdir(parents=True, exist_ok=True)
    settings = Settings() if seed is None else Settings(seed=seed)
    results: list[SubmissionResult] = []
    started = time.perf_counter()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("grading", total=len(submissions))
        for name, exercises in submissions:
            result = grade(exercises, name=name, settings=settings)
            _write_json(out / name / "results.json", results_json(result))
            _write_json(out / name / "descent.json", result.to_dict())
            results.append(result)
            progress.advance(task)
    tests = [entry.test_name(check) for entry in CATALOG for check in entry.checks]
    (out / "grades.csv").write_text(grades_csv(results, tests), encoding="utf-8")
    elapsed = time.perf_counter() - started
    _print_summary(console, results, elapsed, out)
    return 0


def _write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")


def _print_summary(console: Console, results: list[SubmissionResult], elapsed: float,
                   out: Path) -> None:
    table = Table("submission", "score", "passed", "time (s)")
    for result in results:
        passed = sum(t.passed for t in result.tests)
        table.add_row(result.name, f"{result.score:g}/{result.max_score:g}",
                      f"{passed}/{len(result.tests)}", f"{result.execution_time:.2f}")
    console.print(table)
    per = elapsed / len(results) if results else 0.0
    console.print(f"Graded {len(results)} submission(s) in {elapsed:.1f} s ({per:.2f} s each). "
                  f"Results in {out}/<name>/results.json and {out}/grades.csv.")


