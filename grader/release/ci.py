"""`descent ci`: check the grading files, grade, and report as GitHub and Classroom read it."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.course import CATALOG
from grader.engine import Settings, grade
from grader.errors import DescentError
from grader.i18n import N_, _
from grader.model import SubmissionResult
from grader.release.manifest import Modification, fingerprint, verify
from grader.render import github
from grader.render.gradescope import results_json
from grader.render.junit import junit_xml

__all__ = [
    "GitHubFiles",
    "GradingFilesModified",
    "RepositoryGrade",
    "assess",
    "modified_message",
    "publish",
    "raise_if_modified",
    "submission_name",
]

_RESTORE = N_("restore them from the assignment's first commit ({command}, and delete added "
              "files), then push again")
_RESTORE_COMMAND = "`git checkout $(git rev-list --max-parents=0 HEAD) -- <files>`"
_REINSTALL = N_("install this assignment's grader: {command}")
_REINSTALL_COMMAND = "`python -m pip install --force-reinstall --no-deps ./.descent/package`"
_LISTED = 20  # a longer list of modified files is cut, with a count of the rest


class GradingFilesModified(DescentError):
    """The repo's grading files or workflow differ from the release: no grade is given."""

    exit_code = 5


@dataclass(frozen=True)
class RepositoryGrade:
    """A released repo's outcome: a result, or the grading files found modified (no grade)."""

    result: SubmissionResult | None
    modified: tuple[Modification, ...]
    fingerprint: str


@dataclass(frozen=True)
class GitHubFiles:
    """Where GitHub Actions reads a step's summary and outputs (None outside Actions)."""

    summary: Path | None
    output: Path | None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> GitHubFiles:
        def path(name: str) -> Path | None:
            return Path(environ[name]) if environ.get(name) else None

        return cls(summary=path("GITHUB_STEP_SUMMARY"), output=path("GITHUB_OUTPUT"))


def submission_name(root: Path, environ: Mapping[str, str] | None = None) -> str:
    """The repo's name (as `descent grade` names a clone of it), so the inputs drawn match."""
    environ = os.environ if environ is None else environ
    repository = environ.get("GITHUB_REPOSITORY", "")
    return repository.rsplit("/", 1)[-1] or root.resolve().name


def assess(root: Path, *, settings: Settings | None = None,
           environ: Mapping[str, str] | None = None) -> RepositoryGrade:
    """Check the grading files against the manifest; grade `exercises/` only when they hold."""
    modified = tuple(verify(root))
    if modified:
        return RepositoryGrade(None, modified, fingerprint(root))
    result = grade(root / "exercises", name=submission_name(root, environ), settings=settings)
    return RepositoryGrade(result, (), fingerprint(root))


def modified_message(modified: Sequence[Modification]) -> str:
    """The one-line verdict for a repo that gets no grade, naming the files (the first 20)."""
    shown = [str(m) for m in modified[:_LISTED]]
    if len(modified) > _LISTED:
        shown.append(_("and {count} more").format(count=len(modified) - _LISTED))
    return _("modified: the grading files of this repository are not as released, so no "
             "grade is given: {files}").format(files="; ".join(shown))


def raise_if_modified(graded: RepositoryGrade) -> None:
    """The exit of a run that gave no grade: the error names the files and how to restore them."""
    if graded.modified:
        raise GradingFilesModified(modified_message(graded.modified),
                                   next_step=_next_step(graded.modified))


def publish(graded: RepositoryGrade, artifacts: Path, files: GitHubFiles) -> list[str]:
    """Write the summary, the `result` output and the artifacts; return the log's commands."""
    artifacts.mkdir(parents=True, exist_ok=True)
    max_score = sum(entry.max_score for entry in CATALOG)
    result = graded.result
    if result is None:
        names = [str(m) for m in graded.modified]
        summary = github.not_graded_summary(
            _("**modified**: these grading files are not as released, so no grade is given."),
            names, _("To get a grade, {next_step}.").format(next_step=_next_step(graded.modified)))
        classroom = github.classroom_error(modified_message(graded.modified), max_score)
        full: dict[str, Any] = {"verdict": "modified", "files": names,
                                "fingerprint": graded.fingerprint}
        commands = [github.workflow_command(
            "error", modified_message(graded.modified), title=_("Grading files modified"))]
    else:
        summary = github.step_summary(result, fingerprint=graded.fingerprint)
        classroom = github.classroom_result(result)
        full = {**result.to_dict(), "fingerprint": graded.fingerprint}
        _write(artifacts / "junit.xml", junit_xml([result]))
        _write(artifacts / "results.json", _json(results_json(result)))
        commands = [*github.annotations(result),
                    github.points_notice(result.score, result.max_score)]
    _write(artifacts / "summary.md", summary)
    _write(artifacts / "classroom.json", _json(classroom))
    _write(artifacts / "descent.json", _json(full))
    if files.summary is not None:
        _append(files.summary, summary)
    if files.output is not None:
        _append(files.output, f"result={github.encode_output(classroom)}\n")
    return commands


def _next_step(modified: Sequence[Modification]) -> str:
    # A different descent installed on the student's machine is fixed by installing, not by git.
    if any(m.installed for m in modified):
        return _(_REINSTALL).format(command=_REINSTALL_COMMAND)
    return _(_RESTORE).format(command=_RESTORE_COMMAND)


def _json(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def _append(path: Path, text: str) -> None:
    # GitHub gives each step these files and reads them after it; other tools may have
    # written to them already, so append.
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)
