"""The named-diagnosis rate over the corpus of wrong submissions (tests/corpus), per exercise.

Prints figures; asserts nothing. Usage: python benchmarks/diagnosis_rate.py. A failing test
(failed, or an error such as a shape that does not fit) counts as named when it gets any
diagnosis (a bare counterexample with "values differ" is a miss); each miss is listed with its
rationale so that a new rule can be aimed at it.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.corpus import ENTRIES, FAILING, grade_entry  # noqa: E402


def main() -> int:
    named: dict[str, int] = defaultdict(int)
    failing: dict[str, int] = defaultdict(int)
    misses: list[str] = []
    wrong_id: list[str] = []
    for entry in ENTRIES:
        results = grade_entry(entry)
        for function, expected in entry.expected.items():
            result = results.get(function)
            if result is None or result.verdict not in FAILING:
                verdict = result.verdict if result else "missing"
                misses.append(f"{entry.name}:{function}: not a failure ({verdict})")
                failing[entry.exercise] += 1
                continue
            failing[entry.exercise] += 1
            if result.diagnosis is None:
                misses.append(f"{entry.name}:{function}: {result.rationale[:110]}")
                continue
            named[entry.exercise] += 1
            if expected and result.diagnosis.name != expected:
                wrong_id.append(f"{entry.name}:{function}: {result.diagnosis.name} "
                                f"(expected {expected})")
    total_named, total = sum(named.values()), sum(failing.values())
    print(f"corpus: {len(ENTRIES)} submissions, {total} failing tests")
    for exercise in sorted(failing):
        rate = named[exercise] / failing[exercise]
        print(f"  {exercise:<22} {named[exercise]:>3}/{failing[exercise]:<3} {rate:6.1%}")
    print(f"named-diagnosis rate: {total_named}/{total} = {total_named / max(total, 1):.1%}")
    for title, lines in (("misses", misses), ("named differently than expected", wrong_id)):
        if lines:
            print(f"{title}:")
            for line in lines:
                print(f"  {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
