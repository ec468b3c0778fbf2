"""The run inside Gradescope: grade `/autograder/submission`, always leaving a results file."""

from __future__ import annotations

import json
import os
import re
import tempfile
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from grader import __version__
from grader.batch.pool import unreadable_result
from grader.course import CATALOG
from grader.engine import Settings, grade
from grader.gradescope.bundle import SECRET, read_config
from grader.gradescope.scripts import ROOT_ENV
from grader.gradescope.upload import Upload, find_upload, write_exercises
from grader.model import SubmissionResult, Verdict
from grader.render.gradescope import (
    Visibility,
    failure_results,
    markdown_code,
    markdown_text,
    results_json,
)
from grader.secret import for_grading

__all__ = ["AutograderPaths", "autograde", "run_guarded", "submission_name"]

_DEFAULT_ROOT = Path("/autograder")
_FALLBACK_NAME = "gradescope-unknown"
_ID = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True)
class AutograderPaths:
    """Gradescope's layout under one root (`/autograder` there, a temporary folder in tests)."""

    root: Path

    @classmethod
    def find(cls, root: Path | None = None,
             environ: Mapping[str, str] | None = None) -> AutograderPaths:
        """`root` if given, else $DESCENT_AUTOGRADER_ROOT, else /autograder."""
        environ = os.environ if environ is None else environ
        return cls(root or Path(environ.get(ROOT_ENV) or _DEFAULT_ROOT))

    @property
    def source(self) -> Path:
        return self.root / "source"

    @property
    def submission(self) -> Path:
        return self.root / "submission"

    @property
    def metadata(self) -> Path:
        return self.root / "submission_metadata.json"

    @property
    def results(self) -> Path:
        return self.root / "results" / "results.json"


def submission_name(metadata: Path) -> tuple[str, str | None]:
    """The name the inputs are drawn for: the submitters' Gradescope user ids, so inputs
    differ between students and stay the same when one resubmits; with a note for the log
    when the metadata cannot give it."""
    try:
        users = json.loads(metadata.read_text(encoding="utf-8"))["users"]
        ids = sorted({_ID.sub("_", str(user["id"]))[:40] for user in users})
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return _FALLBACK_NAME, f"{metadata} gave no user ids ({type(exc).__name__}: {exc})"
    if not ids or not all(ids):
        return _FALLBACK_NAME, f"{metadata} lists no user with an id"
    return "gradescope-" + "+".join(ids), None


def autograde(paths: AutograderPaths, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Grade the upload in `paths.submission`; Gradescope's results (raises on a broken
    bundle, which `run_guarded` turns into a results file)."""
    config = read_config(paths.source)
    visibility = cast(Visibility, config["visibility"])
    settings = for_grading(paths.source, secret_file=paths.source / SECRET, environ={}).settings
    name, trouble = submission_name(paths.metadata)
    if trouble:
        log(f"note: {trouble}; the inputs are drawn for {name!r}")
    if config["descent_version"] != __version__:
        log(f"note: the bundle was built by descent {config['descent_version']}, "
            f"this is {__version__}")
    upload = find_upload(paths.submission)
    result, preface, shown = _grade_upload(upload, name, settings)
    log(f"graded {name}: {result.score:g}/{result.max_score:g}; isolation: {result.isolation}")
    return results_json(result, markdown=True, preface=preface,
                        visibility=visibility if shown else "visible")


def run_guarded(paths: AutograderPaths, log: Callable[[str], None] = print) -> int:
    """`autograde`, and whatever happens a valid results file: 0 when graded, 1 when not."""
    code = 0
    try:
        results = autograde(paths, log)
    except BaseException as exc:  # the student must get a results file, whatever broke
        log(traceback.format_exc())
        results = failure_results(
            "The autograder could not grade your upload: it stopped with "
            f"{markdown_text(f'{type(exc).__name__}: {exc}')}. Your instructor can see the "
            "details in the autograder's log.", grader_version=__version__)
        code = 1
    _write_results(paths.results, results)
    return code


def _grade_upload(upload: Upload, name: str,
                  settings: Settings) -> tuple[SubmissionResult, list[str], bool]:
    """The result, the Markdown paragraphs that explain it, and whether it was graded (an
    upload that could not be read is shown at once, whatever the bundle's visibility)."""
    if upload.problem is not None:
        problem = f"**Nothing was graded.** {markdown_text(upload.problem)}"
        return unreadable_result(name, upload.problem, settings), [problem], False
    if not upload.files:
        message = _nothing_found(upload)
        return (unreadable_result(name, "Nothing to grade was found in the upload.", settings,
                                  Verdict.NOT_ATTEMPTED), [message], False)
    with tempfile.TemporaryDirectory(prefix="descent-upload-") as scratch:
        folder = write_exercises(upload, Path(scratch))
        result = grade(folder, name=name, settings=settings)
    found = (f"Graded the exercise files in {markdown_text(upload.found_in)} "
             f"({len(upload.files)} of {len(CATALOG)} exercise files).")
    return result, [found], True


def _nothing_found(upload: Upload) -> str:
    names = ", ".join(f"`{entry.filename}`" for entry in CATALOG)
    message = ("**Nothing to grade was found in your upload.** Upload your `exercises/` "
               f"folder, the exercise files themselves ({names}), or a zip of either, "
               "then submit again.")
    if upload.other_python:
        seen = ", ".join(markdown_code(p) for p in upload.other_python)
        message += (f" Your upload holds Python files not named as the exercises ({seen}): "
                    "keep the file names of the course.")
    return message


def _write_results(path: Path, results: dict[str, Any]) -> None:
    """Whole or not at all: Gradescope must never read half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n",
                       encoding="utf-8")
    os.replace(partial, path)
