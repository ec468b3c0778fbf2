"""`descent release`: write the student repo (stubs, vendored grader, workflow, manifest)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from grader import __version__
from grader.course import CATALOG
from grader.course_stubs import stub_text
from grader.errors import DescentError, UsageError
from grader.i18n import _, language
from grader.release.leaks import find_leaks
from grader.release.manifest import (
    MANIFEST,
    PACKAGE_DIR,
    PACKAGES,
    package_files,
    verify,
    write_manifest,
)
from grader.release.templates import render

__all__ = ["GRADING_FILES", "Release", "ReleaseError", "release", "vendor_grader"]

# The released files, besides the vendored grader, that decide or report a grade.
GRADING_FILES = (
    ".github/workflows/classroom.yml",
    "requirements.txt",
    "pytest.ini",
    "tests/test_course.py",
    f"{PACKAGE_DIR}/README.md",
    f"{PACKAGE_DIR}/pyproject.toml",
)


class ReleaseError(DescentError):
    """A release was written but must not be pushed (it leaks, or its grader is not ours)."""

    exit_code = 5


@dataclass(frozen=True)
class Release:
    """What `release` wrote: every file, and those the manifest covers."""

    root: Path
    files: tuple[str, ...]
    hashed: tuple[str, ...]


def release(course: Path, out: Path, *, force: bool = False) -> Release:
    """Write the student repo for `course` into `out`; raises ReleaseError if it is unsafe.

    Released in the language in use: a language other than English becomes the repo's
    default, with its README and, where the course has them, its stubs in that language."""
    _check_course(course)
    _prepare(out.resolve(), course.resolve(), force)
    lang = language()
    written: list[str] = []
    for entry in CATALOG:  # only the catalog's stubs: a stray file in exercises/ stays home
        name = f"exercises/{entry.filename}"
        translated = None if lang == "en" else stub_text(entry.id, lang)
        if translated is None:
            written.append(_copy(course / "exercises" / entry.filename, out, name))
        else:
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            (out / name).write_text(translated, encoding="utf-8")
            written.append(name)
    vendored = vendor_grader(course, out)
    for name, text in render(__version__, None if lang == "en" else lang).items():
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(name)
    hashed = sorted({*GRADING_FILES, *vendored})
    write_manifest(out, hashed)
    _refuse_unsafe(course, out)
    files = tuple(sorted({*written, *vendored, MANIFEST}))
    return Release(root=out, files=files, hashed=tuple(hashed))


def vendor_grader(course: Path, out: Path) -> list[str]:
    """Copy the course's grader (its packages and pyproject.toml) into `out/.descent/package`;
    return the copied paths, relative to `out`, for the manifest. Shared with the Gradescope
    bundle, so both pin exactly the same files."""
    vendored = [_copy(course / "pyproject.toml", out, f"{PACKAGE_DIR}/pyproject.toml")]
    for package in PACKAGES:
        for path in package_files(course / package):
            name = f"{PACKAGE_DIR}/{package}/{path.relative_to(course / package).as_posix()}"
            vendored.append(_copy(path, out, name))
    return vendored


def _check_course(course: Path) -> None:
    needed = ["exercises", *PACKAGES, "pyproject.toml"]
    missing = [name for name in needed if not (course / name).exists()]
    if missing:
        raise UsageError(_("{course} is not a descent course folder (no {missing})").format(
            course=course, missing=", ".join(missing)),
            next_step=_("run `descent release` from the course repo, or pass --course"))
    absent = [e.filename for e in CATALOG if not (course / "exercises" / e.filename).is_file()]
    if absent:
        raise UsageError(_("exercises/ lacks the stubs {names}").format(names=", ".join(absent)),
                         next_step=_("run `descent dev check` to see what else disagrees"))


def _prepare(out: Path, course: Path, force: bool) -> None:
    if out == course or course.is_relative_to(out):
        raise UsageError(_("{out} holds the course itself").format(out=out),
                         next_step=_("release into a new folder"))
    if out.exists() and not out.is_dir():
        raise UsageError(_("{out} is not a folder").format(out=out),
                         next_step=_("choose a new folder"))
    present = [p for p in out.iterdir() if p.name != ".git"] if out.exists() else []
    if not present:
        out.mkdir(parents=True, exist_ok=True)
        return
    if not force:
        raise UsageError(_("{out} is not empty").format(out=out),
                         next_step=_("choose an empty folder, or pass --force to replace a "
                                     "previous release there (its .git is kept)"))
    if not (out / MANIFEST).is_file():
        # --force deletes files: only ever in a folder that a release wrote.
        raise UsageError(_("{out} is not a previous release (no {manifest}); not replacing "
                           "it").format(out=out, manifest=MANIFEST),
                         next_step=_("choose an empty folder"))
    for path in present:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


def _copy(source: Path, out: Path, name: str) -> str:
    target = out / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return name


def _refuse_unsafe(course: Path, out: Path) -> None:
    leaks = find_leaks(out, course / "solutions", course / "exercises")
    if leaks:
        raise ReleaseError(_("the release in {out} would show solutions: {leaks}").format(
            out=out, leaks="; ".join(leaks)),
            next_step=_("delete that folder, remove the cause, release again"))
    stale = verify(out)
    if stale:
        shown = ", ".join(str(m) for m in stale[:5]) + (" …" if len(stale) > 5 else "")
        raise ReleaseError(
            _("the running descent is not the grader in {course} ({shown}), so the release "
              "would not grade as tested").format(course=course, shown=shown),
            next_step=_("install this course's grader (`pip install -e .` in the course) and "
                        "release again"),
        )
