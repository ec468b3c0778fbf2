"""The local progress store (.descent/progress.json): hints seen, latest results, atomic writes."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["ProgressStore"]


class ProgressStore:
    """A small JSON document in the course folder; a crash mid-write never corrupts it."""

    def __init__(self, course: Path) -> None:
        self.path = course / ".descent" / "progress.json"

    def load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def save(self, data: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".progress-")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, indent=1, sort_keys=True)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def hints_seen(self, test: str) -> int:
        return int(self.load().get("hints", {}).get(test, 0))

    def reveal_hint(self, test: str, tiers: int) -> int:
        """Record one more hint tier seen for `test`; returns the tier now shown (1-based)."""
        data = self.load()
        hints = data.setdefault("hints", {})
        shown = min(int(hints.get(test, 0)) + 1, tiers)
        hints[test] = shown
        self.save(data)
        return shown

    def record_results(self, results: dict[str, Any]) -> None:
        """Remember the latest verdict per test (for the tutor's progress view)."""
        data = self.load()
        data.setdefault("results", {}).update(results)
        self.save(data)
