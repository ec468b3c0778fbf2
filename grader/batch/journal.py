"""The run journal (`OUT_DIR/journal.sqlite`): each finished submission committed atomically."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from grader.model import SubmissionResult

__all__ = ["Journal"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS graded (
    name TEXT PRIMARY KEY,
    digest TEXT NOT NULL,
    result TEXT NOT NULL
)
"""


class Journal:
    """What has been graded, keyed by submission name and the digest it was graded at.

    A killed run leaves every committed row intact (SQLite transactions), so the same
    command continues with the submissions that are not there yet.
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL still survives a killed process (only power loss may drop the
        # last commits); FULL would fsync once per submission.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)
        self._db.commit()

    def close(self) -> None:
        self._db.close()

    def names(self) -> set[str]:
        return {name for (name,) in self._db.execute("SELECT name FROM graded")}

    def lookup(self, name: str) -> tuple[str, SubmissionResult] | None:
        query = "SELECT digest, result FROM graded WHERE name = ?"
        row = self._db.execute(query, (name,)).fetchone()
        if row is None:
            return None
        return row[0], SubmissionResult.from_dict(json.loads(row[1]))

    def record(self, name: str, digest: str, result: SubmissionResult) -> None:
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO graded (name, digest, result) VALUES (?, ?, ?)",
                (name, digest, json.dumps(result.to_dict(), allow_nan=True)),
            )

    def rows(self) -> list[tuple[str, SubmissionResult]]:
        """(digest, result) of every recorded submission, by name."""
        rows = self._db.execute("SELECT digest, result FROM graded ORDER BY name").fetchall()
        return [(digest, SubmissionResult.from_dict(json.loads(data))) for digest, data in rows]
