"""`descent gradescope`: the autograder zip (scripts, the pinned grader, settings, secret)."""

from __future__ import annotations

import json
import os
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from grader import __version__
from grader.errors import UsageError
from grader.gradescope.scripts import render_scripts
from grader.i18n import _, language
from grader.release.build import ReleaseError, vendor_grader
from grader.release.leaks import find_leaks
from grader.release.manifest import MANIFEST, PACKAGES, verify, write_manifest
from grader.render.gradescope import VISIBILITIES, Visibility
from grader.secret import SECRET_FILE, for_grading, identity

__all__ = ["CONFIG", "SECRET", "Bundle", "build_bundle", "read_config"]

CONFIG = ".descent/gradescope.json"
SECRET = f".descent/{SECRET_FILE}"
_EXECUTABLE = ("setup.sh", "run_autograder")


@dataclass(frozen=True)
class Bundle:
    """What was written: the zip, its entries, and the fingerprint of its grading secret."""

    path: Path
    entries: tuple[str, ...]
    secret_identity: int
    secret_origin: str


def build_bundle(course: Path, out: Path, *, visibility: Visibility = "visible",
                 secret_file: Path | None = None, force: bool = False) -> Bundle:
    """Write the Gradescope autograder zip for `course` to `out`.

    The inputs are drawn from `secret_file`, else $DESCENT_GRADING_SECRET, else a secret
    drawn now; it is kept in the zip, which Gradescope never shows to students.
    """
    _check(course, out, visibility, force)
    with tempfile.TemporaryDirectory(prefix="descent-gradescope-") as scratch:
        stage = Path(scratch) / "bundle"
        # for_grading keeps a new secret in the folder it is given: the bundle's .descent/.
        source = for_grading(stage / ".descent", secret_file=secret_file)
        secret = stage / SECRET
        origin = _("new secret drawn for this bundle, kept in the zip")
        if not secret.exists():  # given by --secret-file or the environment
            _write(secret, source.settings.secret.decode() + "\n")
            origin = source.origin
        scripts = render_scripts(__version__)
        for name, text in scripts.items():
            _write(stage / name, text)
        _write(stage / CONFIG, json.dumps({"descent_version": __version__, "lang": language(),
                                           "visibility": visibility}, indent=2) + "\n")
        vendored = vendor_grader(course, stage)
        write_manifest(stage, sorted({*vendored, *scripts, CONFIG}))
        _refuse_unsafe(course, stage)
        entries = _zip(stage, out)
    return Bundle(out, entries, identity(source.settings.secret), origin)


def read_config(source: Path) -> dict[str, str]:
    """The bundle's settings as unpacked in `source`; raises UsageError when unreadable."""
    try:
        config = json.loads((source / CONFIG).read_text(encoding="utf-8"))
        visibility = str(config["visibility"])
        version = str(config["descent_version"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(_("{file} is missing or unreadable ({error})").format(
            file=source / CONFIG, error=exc),
            next_step=_("upload a zip written by `descent gradescope`")) from None
    if visibility not in VISIBILITIES:
        raise UsageError(_("{file}: unknown visibility {visibility!r}").format(
            file=source / CONFIG, visibility=visibility),
            next_step=_("build the bundle again with `descent gradescope`"))
    settings = {"visibility": visibility, "descent_version": version}
    if isinstance(config.get("lang"), str):  # bundles built before languages have none
        settings["lang"] = config["lang"]
    return settings


def _check(course: Path, out: Path, visibility: str, force: bool) -> None:
    missing = [name for name in (*PACKAGES, "pyproject.toml") if not (course / name).exists()]
    if missing:
        raise UsageError(_("{course} is not a descent course folder (no {missing})").format(
            course=course, missing=", ".join(missing)),
            next_step=_("run `descent gradescope` from the course repo, or pass --course"))
    if visibility not in VISIBILITIES:
        raise UsageError(_("unknown visibility {visibility!r}").format(visibility=visibility),
                         next_step=_("use one of {choices}").format(
                             choices=", ".join(VISIBILITIES)))
    if out.suffix.casefold() != ".zip":
        raise UsageError(_("{out} does not end in .zip").format(out=out),
                         next_step=_("name the bundle like autograder.zip"))
    if out.is_dir() or (out.exists() and not force):
        raise UsageError(_("{out} already exists").format(out=out),
                         next_step=_("choose a new name, or pass --force to replace the file"))
    if not out.parent.is_dir():
        raise UsageError(_("the folder {folder} does not exist").format(folder=out.parent),
                         next_step=_("create it, or write the bundle elsewhere"))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _refuse_unsafe(course: Path, stage: Path) -> None:
    """The checks of `descent release`: no solution code, and this very grader vendored."""
    leaks = find_leaks(stage, course / "solutions", course / "exercises")
    if leaks:
        raise ReleaseError(_("the Gradescope bundle would hold solutions: {leaks}").format(
            leaks="; ".join(leaks)), next_step=_("remove the cause, then build the bundle again"))
    stale = [m for m in verify(stage) if m.path != MANIFEST]
    if stale:
        shown = ", ".join(str(m) for m in stale[:5]) + (" …" if len(stale) > 5 else "")
        raise ReleaseError(_("the running descent is not the grader in {course} ({shown}), so "
                             "the bundle would not grade as tested").format(
                                 course=course, shown=shown),
                           next_step=_("install this course's grader (`pip install -e .` in "
                                       "the course) and build the bundle again"))


def _zip(stage: Path, out: Path) -> tuple[str, ...]:
    """Zip `stage` with its files at the zip's root; written beside `out`, then moved there."""
    names = sorted(p.relative_to(stage).as_posix() for p in stage.rglob("*") if p.is_file())
    partial = out.with_name(f".{out.name}.partial")
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in names:
                # A fixed date: the same course and secret give the same bytes.
                info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
                mode = 0o755 if name in _EXECUTABLE else 0o600 if name == SECRET else 0o644
                info.external_attr = (stat.S_IFREG | mode) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, (stage / name).read_bytes())
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return tuple(names)
