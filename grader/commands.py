"""What each `descent` command does, between parsing its arguments and printing its report."""

from __future__ import annotations

import json
import time
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from grader.course import CATALOG, Exercise, find_exercise, find_test
from grader.course_dir import find_course
from grader.engine import Settings, grade
from grader.errors import UsageError
from grader.model import SubmissionResult
from grader.progress import ProgressStore
from grader.render.gradescope import grades_csv, results_json
from grader.render.terminal import print_report

__all__ = ["find_submissions", "run_check", "run_grade", "run_hint", "run_list"]


def _settings(seed: int | None) -> Settings:
    return Settings() if seed is None else Settings(seed=seed)


def run_check(
    console: Console, course: Path | None, names: list[str], seed: int | None, as_json: bool
) -> int:
    """Grade the student's own exercises/; exit 0 only when every selected test passes."""
    folder = find_course(course)
    selected = [find_exercise(name) for name in names] if names else list(CATALOG)
    with console.status("Grading…", spinner="dots"):
        result = grade(folder / "exercises", name="local", exercises=selected,
                       settings=_settings(seed))
    ProgressStore(folder).record_results(
        {t.test: {"verdict": t.verdict.value, "score": t.score} for t in result.tests}
    )
    if as_json:
        console.out(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        print_report(console, result, selected)
    return 0 if result.all_passed else 1


def run_hint(console: Console, course: Path | None, test: str) -> int:
    """Show the hint tiers seen so far for `test`, plus the next one, and record it."""
    entry, function = find_test(test)
    tiers = entry.hints.get(function, ())
    store = ProgressStore(find_course(course))
    already = store.hints_seen(entry.test_name(entry.check(function)))
    shown = store.reveal_hint(f"{entry.id}:{function}", len(tiers))
    console.print(f"[bold]{entry.id}:{function}[/] — {entry.tasks.get(function, '')}")
    for number, text in enumerate(tiers[:shown], start=1):
        fresh = "  [green](new)[/]" if number > already else ""
        console.print(f"[bold]hint {number} of {len(tiers)}[/]{fresh}\n  {text}")
    if shown == len(tiers):
        console.print("[dim]That is the last hint for this test.[/]")
    return 0


def run_list(console: Console) -> int:
    table = Table("exercise", "title", "tests", "points")
    for entry in CATALOG:
        table.add_row(entry.id, entry.title,
                      ", ".join(c.function for c in entry.checks), f"{entry.max_score:g}")
    console.print(table)
    return 0


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


def run_grade(console: Console, paths: list[Path], out: Path, seed: int | None) -> int:
    """Grade each submission, write its results.json, then grades.csv; 0 when grading ran."""
    submissions = find_submissions(paths)
    out.mkdir(parents=True, exist_ok=True)
    settings = _settings(seed)
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


