"""A warm grading process for the tutor: JSON lines in, results out; torch loads off the UI path.

The tutor starts `python -m grader.service` once. This process imports numpy, sympy and torch,
then grades one exercise per request. It judges but never runs student code itself (that
happens in the sandbox's children), and its replies travel on a private copy of stdout so
nothing a child prints can be mistaken for a reply.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

__all__ = ["main"]


def main() -> int:
    replies = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)  # anything written to fd 1 from here on is not a reply
    from grader import collector_paused, isolation

    isolation.prestart()  # imports torch for the sandbox while this process imports it too
    with collector_paused():
        from grader.course import find_exercise
        from grader.engine import Settings, grade
        from grader.sandbox import warm_up

        warm_up()
    _reply(replies, {"ready": True})
    for line in sys.stdin:
        try:
            request = json.loads(line)
            folder = Path(request["exercises_dir"])
            selected = [find_exercise(name) for name in request["exercises"]]
            settings = Settings(seed=request["seed"]) if "seed" in request else Settings()
            result = grade(folder, name=request.get("name", "local"), exercises=selected,
                           settings=settings)
            _reply(replies, {"id": request.get("id"), "result": result.to_dict()})
        except Exception as exc:  # a bad request must not take the tutor's grader down
            _reply(replies, {"id": None, "error": f"{type(exc).__name__}: {exc}"})
    return 0


def _reply(stream: Any, message: dict[str, Any]) -> None:
    stream.write(json.dumps(message, allow_nan=True) + "\n")
    stream.flush()


if __name__ == "__main__":
    sys.exit(main())
