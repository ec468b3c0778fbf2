"""Writes tests/portable/ci_subset.txt: the portable-forced pass of .ci/run, chosen by time.

Usage (from the repository root, after a portable-forced run that printed every duration):

    DESCENT_ISOLATION=portable python -m pytest -q -m "not linux_layers" \\
        --durations=0 --durations-min=0 > durations.txt
    python tests/portable/choose_subset.py durations.txt [more.txt ...] --budget 150

Every test file gets its fastest test function; then whole functions (all their parameters)
are added cheapest first while the total stays within the budget (seconds of test time).
"""

from __future__ import annotations

import argparse
import re
from collections import defaultdict
from pathlib import Path

__all__ = ["choose", "main", "read_durations"]

SUBSET = Path(__file__).with_name("ci_subset.txt")
_LINE = re.compile(r"^(\d+(?:\.\d+)?)s (?:setup|call|teardown)\s+(\S+\.py)::([A-Za-z0-9_]+)")
_HEADER = """\
# The portable-forced pass of .ci/run (DESCENT_ISOLATION=portable, -m "not linux_layers"):
# every test file's fastest test function, then the cheapest functions up to {budget:.0f} s
# of test time ({chosen:.0f} s of {total:.0f} s measured, {functions} of {all_functions}
# functions). The whole suite runs in portable mode in the GitHub workflow (ubuntu forced,
# windows and macos native). Regenerate: python tests/portable/choose_subset.py --help.
"""


def read_durations(report: str) -> dict[str, dict[str, float]]:
    """Seconds per test function (setup, call and teardown of every parameter), by file."""
    found: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for line in report.splitlines():
        match = _LINE.match(line.strip())
        if match:
            seconds, file, function = match.groups()
            found[file][function] += float(seconds)
    return found


def choose(durations: dict[str, dict[str, float]], budget: float) -> list[tuple[str, float]]:
    """Node ids ("file::function") with their seconds, in file order."""
    chosen: dict[str, float] = {}
    for file, functions in durations.items():
        function = min(functions, key=functions.__getitem__)
        chosen[f"{file}::{function}"] = functions[function]
    rest = sorted((seconds, f"{file}::{function}") for file, functions in durations.items()
                  for function, seconds in functions.items()
                  if f"{file}::{function}" not in chosen)
    spent = sum(chosen.values())
    for seconds, node in rest:
        if spent + seconds > budget:
            break
        chosen[node] = seconds
        spent += seconds
    return sorted(chosen.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", type=Path, nargs="+", help="pytest reports with "
                        "--durations=0 --durations-min=0 of the portable-forced suite "
                        "(or of its new files)")
    parser.add_argument("--budget", type=float, default=150.0,
                        help="seconds of test time to spend (default: 150)")
    args = parser.parse_args()
    durations = read_durations("\n".join(report.read_text(encoding="utf-8")
                                         for report in args.reports))
    chosen = choose(durations, args.budget)
    header = _HEADER.format(
        budget=args.budget, chosen=sum(seconds for _, seconds in chosen),
        total=sum(sum(functions.values()) for functions in durations.values()),
        functions=len(chosen), all_functions=sum(map(len, durations.values())))
    SUBSET.write_text(header + "".join(f"{node}\n" for node, _ in chosen), encoding="utf-8")
    print(f"{SUBSET}: {len(chosen)} test functions")


if __name__ == "__main__":
    main()
