"""`python -m grader.isolation`: print the isolation mode student code gets on this machine."""

from __future__ import annotations

import sys

from grader.isolation import detect, level


def main() -> int:
    mode = detect()
    print(f"isolation: {mode.name}")
    print(f"  namespaces: {', '.join(mode.namespaces) or 'none'}")
    print(f"  worker layers: {', '.join(mode.layers) or 'none'}")
    print(f"  level allowed: {level()} (DESCENT_ISOLATION caps it)")
    for note in mode.notes:
        print(f"  note: {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
