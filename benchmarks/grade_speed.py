"""Batch-grading throughput of `descent grade` on a realistic class, against a fresh process each.

Prints figures; asserts nothing. Usage: python benchmarks/grade_speed.py [--students 500]
[--jobs N] [--naive 6] [--runs 3] [--stubs 0.1] [--seed 0]. The headline is the median of the
timed runs, as a shared machine's neighbours move single runs by ±10%; the machine's load is
printed beside it. The class (benchmarks/realistic_class.py) hands in whole files: the
solution, the solution with one or two functions as a common mistake of tests/corpus writes
them, files partly done (the last functions still raise NotImplementedError), exercises not
started and whole untouched stubs, with popular mistakes handed in by many students.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from realistic_class import KINDS, make_class

from grader.batch.pool import default_jobs

ROOT = Path(__file__).resolve().parent.parent


def naive_seconds(folder: Path, count: int) -> float:
    """A fresh interpreter per submission that imports the libraries and grades it."""
    # As `descent check` does: the nursery starts first and imports alongside this process.
    # Evidence is left out as `descent grade` leaves it out: the same work, one way or the other.
    script = ("import sys; from pathlib import Path; import grader.nursery; "
              "grader.nursery.start(); from grader.engine import Settings, grade; "
              "grade(Path(sys.argv[1]), name=Path(sys.argv[1]).parent.name, "
              "settings=Settings(evidence=False))")
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
    parser.add_argument("--jobs", type=int, default=default_jobs(),
                        help="worker processes (default: descent grade's own)")
    parser.add_argument("--naive", type=int, default=6, help="submissions timed the naive way")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of descent grade")
    parser.add_argument("--stubs", type=float, default=0.1,
                        help="share of students who hand in the untouched stubs (not run)")
    parser.add_argument("--seed", type=int, default=0, help="which class is drawn")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="descent-bench-") as tmp:
        folder = Path(tmp) / "class"
        mix = make_class(folder, args.students, args.stubs, args.seed)
        load_before = os.getloadavg()[0]
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
        load_after = os.getloadavg()[0]
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
          "(a shared machine's speed drifts; compare runs only at similar values); "
          f"load average {load_before:.2f} before, {load_after:.2f} after")
    shares = ", ".join(f"{kind} {share:.0%}" for kind, share in KINDS.items())
    print(f"class (seed {args.seed}): {mix.describe()}; drawn per exercise as {shares}; "
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
