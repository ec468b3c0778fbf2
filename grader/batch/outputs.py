"""The files a grading run writes, all from the result model: per submission and class-wide."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

from grader import __version__
from grader.batch.names import inside
from grader.batch.roster import Matching, Roster, match
from grader.course import CATALOG
from grader.model import SubmissionResult
from grader.render.gradebooks import (
    DEFAULT_NAMES,
    GradebookNames,
    canvas_csv,
    moodle_csv,
    roster_report_csv,
)
from grader.render.gradescope import grades_csv, results_json
from grader.render.html import FEEDBACK_PAGE, feedback_page
from grader.render.junit import junit_xml
from grader.render.prairielearn import prairielearn_json

__all__ = [
    "CANVAS_GRADES",
    "MOODLE_GRADES",
    "ROSTER_REPORT",
    "RUN_RECORD",
    "fingerprint",
    "regrade_changes",
    "write_class_files",
    "write_run_record",
    "write_submission_files",
]

RUN_RECORD = "run.json"
ROSTER_REPORT = "roster_report.csv"
CANVAS_GRADES = "canvas_grades.csv"
MOODLE_GRADES = "moodle_grades.csv"


def fingerprint() -> str:
    """A hash of the grader's own code and course texts: a change means grades may change."""
    hasher = hashlib.sha256(__version__.encode())
    root = resources.files("grader")
    for path in sorted(Path(str(root)).rglob("*")):
        if path.suffix in (".py", ".toml") and "__pycache__" not in path.parts:
            hasher.update(str(path.relative_to(str(root))).encode())
            hasher.update(path.read_bytes())
    return hasher.hexdigest()[:16]


def _write(path: Path, text: str) -> None:
    """Write atomically, so a killed run never leaves half a file behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(temporary, path)


def _json(data: Any) -> str:
    # Compact: with `indent`, json falls back to its pure-Python encoder, which took a third
    # of the time spent writing a class's files. `jq .` or a browser lays them out.
    return json.dumps(data, ensure_ascii=False, allow_nan=True) + "\n"


def write_submission_files(out: Path, result: SubmissionResult) -> None:
    _write(inside(out, result.name, "results.json"), _json(results_json(result)))
    _write(inside(out, result.name, "prairielearn.json"), _json(prairielearn_json(result)))
    _write(inside(out, result.name, "descent.json"), _json(result.to_dict()))
    _write(inside(out, result.name, FEEDBACK_PAGE), feedback_page(result))


def write_run_record(out: Path, *, shard: str | None, seed: int, grader: str) -> None:
    """`run.json`: which slice of the class this run graded, at which seed and grader, so
    `descent merge` can tell a complete set of shards from a partial or mixed one."""
    _write(inside(out, RUN_RECORD), _json({
        "shard": shard, "seed": seed, "grader_fingerprint": grader,
        "grader_version": __version__,
    }))


def write_class_files(out: Path, results: list[SubmissionResult], seed: int,
                      roster: Roster | None = None,
                      names: GradebookNames = DEFAULT_NAMES) -> Matching:
    """grades.csv, junit.xml, all_results.json (everything, with versions and seeds) and the
    gradebooks; returns which student each submission was matched to."""
    tests = [entry.test_name(check) for entry in CATALOG for check in entry.checks]
    _write(inside(out, "grades.csv"), grades_csv(results, tests))
    _write(inside(out, "junit.xml"), junit_xml(results))
    matching = _write_gradebooks(out, results, roster, names)
    _write(inside(out, "all_results.json"), _json({
        "grader_version": __version__,
        "grader_fingerprint": fingerprint(),
        "seed": seed,
        "tests": tests,
        "submissions": [r.to_dict() for r in results],
        "roster": matching.to_dict(),
    }))
    return matching


def _write_gradebooks(out: Path, results: list[SubmissionResult], roster: Roster | None,
                      names: GradebookNames) -> Matching:
    """roster_report.csv always; canvas_grades.csv and moodle_grades.csv where the students'
    ids allow an import. One that no longer applies is removed, never left out of date."""
    matching = match(results, roster)
    _write(inside(out, ROSTER_REPORT), roster_report_csv(matching))
    for file, text in ((CANVAS_GRADES, canvas_csv(matching, names)),
                       (MOODLE_GRADES, moodle_csv(matching, names))):
        if text is None:
            inside(out, file).unlink(missing_ok=True)
        else:
            _write(inside(out, file), text)
    return matching


def regrade_changes(before: SubmissionResult, after: SubmissionResult) -> dict[str, Any] | None:
    """Which tests changed verdict between two gradings, and the score difference."""
    old = {t.test: t for t in before.tests}
    changed = [
        {"test": t.test, "before": old[t.test].verdict.value, "after": t.verdict.value,
         "score_before": old[t.test].score, "score_after": t.score}
        for t in after.tests
        if t.test in old and (old[t.test].verdict != t.verdict or old[t.test].score != t.score)
    ]
    delta = round(after.score - before.score, 6)
    if not changed and not delta:
        return None
    return {"name": after.name, "score_before": before.score, "score_after": after.score,
            "difference": delta, "changed": changed}
