"""Batch-grading throughput: a synthetic class through `descent grade`, against the naive way.

Prints figures; asserts nothing. Usage: python benchmarks/grade_speed.py [--students 500]
[--jobs 3] [--naive 6] [--runs 3]. The headline is the median of the timed runs, as a shared
machine's neighbours move single runs by ±10%. The class mixes complete solutions, untouched
stubs, exercises not started, and whole files with the common mistakes (tests/corpus: one
realistic misconception each, across all nine exercises), as many students hand in the same
answer.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CORPUS = ROOT / "tests" / "corpus"


def make_class(folder: Path, students: int, stubs: float = 0.1, seed: int = 0) -> Path:
    """A class as one arrives: whole files in every exercise, most right, some with one of
    the common mistakes (the realistic wrong files of tests/corpus, so many students hand
    in the same answer), a few exercises not started, and some untouched course stubs."""
    rng = random.Random(seed)
    wrong = {exercise.name: sorted(exercise.glob("*.py"))
             for exercise in sorted(CORPUS.iterdir()) if exercise.is_dir()}
    for n in range(students):
        exercises = folder / f"student{n:04d}" / "exercises"
        roll = rng.random()
        shutil.copytree(ROOT / ("exercises" if roll < stubs else "solutions"), exercises)
        if roll < stubs:
            continue
        for exercise, files in wrong.items():
            draw = rng.random()
            if draw < 0.3:
                shutil.copyfile(rng.choice(files), exercises / f"{exercise}.py")
            elif draw < 0.35:
                shutil.copyfile(ROOT / "exercises" / f"{exercise}.py",
                                exercises / f"{exercise}.py")
    return folder


def naive_seconds(folder: Path, count: int) -> float:
    """A fresh interpreter per submission that imports the libraries and grades it."""
    # As `descent check` does: the nursery starts first and imports alongside this process.
    script = ("import sys; from pathlib import Path; import grader.nursery; "
              "grader.nursery.start(); from grader.engine import grade; "
              "grade(Path(sys.argv[1]), name=Path(sys.argv[1]).parent.name)")
    students = sorted(folder.iterdir())[:count]
    started = time.perf_counter()
    for student in students:
        subprocess.run([sys.executable, "-c", script, str(student / "exercises")], check=True,
                       capture_output=True)
    return (time.perf_counter() - started) / count


def _calibration() -> float:
    """Seconds for a fixed pure-Python loop: the machine's speed at the moment."""
    started = time.perf_counter()
    total = 0
    for n in range(5_000_000):
        total += n * n
    return time.perf_counter() - started


def steady_rate(folder: Path, out: Path, jobs: int) -> float:
    """Submissions per second once the pool is up (start-up and imports excluded)."""
    from grader.batch.run import grade_run
    from grader.engine import Settings

    stamps: list[float] = []
    grade_run([folder], out, settings=Settings(), jobs=jobs,
              on_result=lambda _result: stamps.append(time.perf_counter()))
    return (len(stamps) - 1) / (stamps[-1] - stamps[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--naive", type=int, default=6, help="submissions timed the naive way")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of descent grade")
    parser.add_argument("--stubs", type=float, default=0.1,
                        help="share of students who hand in the untouched stubs (not run)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="descent-bench-") as tmp:
        folder = make_class(Path(tmp) / "class", args.students, args.stubs)
        speed_before = _calibration()
        walls = []
        for run in range(args.runs):
            out = Path(tmp) / f"out{run}"
            command = [sys.executable, "-m", "grader.cli", "grade", str(folder), "--out",
                       str(out), "--jobs", str(args.jobs), "--no-report"]
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            walls.append(time.perf_counter() - started)
        speed_after = _calibration()
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        resumed = time.perf_counter() - started
        naive = naive_seconds(folder, args.naive)
        steady = steady_rate(folder, Path(tmp) / "steady", args.jobs)
    wall = statistics.median(walls)
    rate = args.students / wall
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}; a fixed Python "
          f"loop took {speed_before:.2f} s before the timed runs, {speed_after:.2f} s after "
          "(a shared machine's speed drifts; compare runs only at similar values)")
    print(f"class: {args.students} nine-exercise submissions ({args.stubs:.0%} untouched "
          "stubs; otherwise each exercise 65% right, 30% a corpus mistake, 5% not started), "
          f"--jobs {args.jobs}")
    print(f"descent grade, {args.runs} cold runs (fresh OUT_DIR each): "
          + ", ".join(f"{w:.2f}" for w in walls) + " s wall including start-up")
    print(f"  median {wall:.2f} s = {rate:.1f} submissions/s "
          f"({1000 * wall / args.students:.1f} ms each); "
          f"best {min(walls):.2f} s = {args.students / min(walls):.1f} submissions/s")
    print(f"steady rate once the pool is up (start-up excluded): {steady:.1f} submissions/s")
    print(f"re-run with nothing changed (journal): {resumed:.2f} s")
    print(f"naive (fresh python per submission, {args.naive} timed): {naive:.2f} s each "
          f"-> {args.students * naive:.0f} s for the class")
    print(f"speed-up over naive: {naive * args.students / wall:.0f}x")
    print(f"peak memory of one process (largest RSS): {peak:.0f} MiB")


if __name__ == "__main__":
    main()
