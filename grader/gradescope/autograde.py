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
from grader.i18n import _, set_language
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
        return _FALLBACK_NAME, _("{file} gave no user ids ({error}: {message})").format(
            file=metadata, error=type(exc).__name__, message=exc)
    if not ids or not all(ids):
        return _FALLBACK_NAME, _("{file} lists no user with an id").format(file=metadata)
    return "gradescope-" + "+".join(ids), None


def autograde(paths: AutograderPaths, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Grade the upload in `paths.submission`; Gradescope's results (raises on a broken
    bundle, which `run_guarded` turns into a results file)."""
    config = read_config(paths.source)
    # The language the bundle was built in, unless the image's environment names one.
    lang = config.get("lang")
    set_language(None, lang if isinstance(lang, str) else None)
    visibility = cast(Visibility, config["visibility"])
    settings = for_grading(paths.source, secret_file=paths.source / SECRET, environ={}).settings
    name, trouble = submission_name(paths.metadata)
    if trouble:
        log(_("note: {trouble}; the inputs are drawn for {name!r}").format(
            trouble=trouble, name=name))
    if config["descent_version"] != __version__:
        log(_("note: the bundle was built by descent {built}, this is {running}").format(
            built=config["descent_version"], running=__version__))
    upload = find_upload(paths.submission)
    result, preface, shown = _grade_upload(upload, name, settings)
    log(_("graded {name}: {score:g}/{max_score:g}; isolation: {isolation}").format(
        name=name, score=result.score, max_score=result.max_score, isolation=result.isolation))
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
            _("The autograder could not grade your upload: it stopped with {error}. Your "
              "instructor can see the details in the autograder's log.").format(
                error=markdown_text(f"{type(exc).__name__}: {exc}")),
            grader_version=__version__)
        code = 1
    _write_results(paths.results, results)
    return code


def _grade_upload(upload: Upload, name: str,
                  settings: Settings) -> tuple[SubmissionResult, list[str], bool]:
    """The result, the Markdown paragraphs that explain it, and whether it was graded (an
    upload that could not be read is shown at once, whatever the bundle's visibility)."""
    if upload.problem is not None:
        problem = "**{}** {}".format(_("Nothing was graded."), markdown_text(upload.problem))
        return unreadable_result(name, upload.problem, settings), [problem], False
    if not upload.files:
        message = _nothing_found(upload)
        return (unreadable_result(name, _("Nothing to grade was found in the upload."),
                                  settings, Verdict.NOT_ATTEMPTED), [message], False)
    with tempfile.TemporaryDirectory(prefix="descent-upload-") as scratch:
        folder = write_exercises(upload, Path(scratch))
        result = grade(folder, name=name, settings=settings)
    found = _("Graded the exercise files in {place} ({count} of {total} exercise files).").format(
        place=markdown_text(upload.found_in), count=len(upload.files), total=len(CATALOG))
    return result, [found], True


def _nothing_found(upload: Upload) -> str:
    names = ", ".join(f"`{entry.filename}`" for entry in CATALOG)
    message = "**{}** {}".format(
        _("Nothing to grade was found in your upload."),
        _("Upload your `exercises/` folder, the exercise files themselves ({names}), or a zip "
          "of either, then submit again.").format(names=names))
    if upload.other_python:
        seen = ", ".join(markdown_code(p) for p in upload.other_python)
        message += " " + _("Your upload holds Python files not named as the exercises "
                           "({files}): keep the file names of the course.").format(files=seen)
    return message


def _write_results(path: Path, results: dict[str, Any]) -> None:
    """Whole or not at all: Gradescope must never read half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n",
                       encoding="utf-8")
    os.replace(partial, path)
