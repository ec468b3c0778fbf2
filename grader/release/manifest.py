"""The release manifest: sha256 of every file a grade depends on, and checking a repo against it."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader import __version__
from grader.i18n import N_, _
from grader.release.bootstrap import MANIFEST, PACKAGE_DIR, digest

__all__ = [
    "MANIFEST",
    "PACKAGES",
    "PACKAGE_DIR",
    "Modification",
    "digest",
    "fingerprint",
    "installed_package",
    "package_files",
    "verify",
    "write_manifest",
]

PACKAGES = ("grader", "tui")
_FORMAT = 1
_SKIPPED_SUFFIXES = frozenset({".pyc", ".pyo"})


@dataclass(frozen=True)
class Modification:
    """One grading file that is not as released: `path` and what happened to it."""

    path: str
    change: str  # "changed", "missing", "added", "unreadable", or how the installed grader differs
    installed: bool = False  # a file of the grader installed on this machine, not of the repo

    def __str__(self) -> str:
        path = _("installed {path}").format(path=self.path) if self.installed else self.path
        return f"{path} ({_(self.change)})"


def package_files(folder: Path) -> Iterator[Path]:
    """The files of a package folder that ship: no caches, no compiled or hidden files."""
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if any(part == "__pycache__" or part.startswith(".") for part in parts):
            continue
        if path.is_file() and path.suffix not in _SKIPPED_SUFFIXES:
            yield path


def installed_package(name: str) -> Path | None:
    """Where the running interpreter imports `name` from, found without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def write_manifest(root: Path, files: list[str]) -> dict[str, Any]:
    """Hash `files` (paths relative to `root`) into `root/.descent/manifest.json`."""
    manifest = {
        "format": _FORMAT,
        "descent_version": __version__,
        "files": {name: digest((root / name).read_bytes()) for name in sorted(files)},
    }
    path = root / MANIFEST
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def fingerprint(root: Path) -> str:
    """A short id of the released grading files, to compare one repo's run with another's."""
    try:
        return digest((root / MANIFEST).read_bytes())[:12]
    except OSError:
        return "none"


def verify(root: Path) -> list[Modification]:
    """Every grading file of the repo at `root`, and the running grader, against the manifest."""
    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        files: dict[str, str] = dict(manifest["files"])
        version = str(manifest["descent_version"])
    except FileNotFoundError:
        return [Modification(MANIFEST, N_("missing"))]
    except (OSError, ValueError, KeyError, TypeError):
        return [Modification(MANIFEST, N_("unreadable"))]
    found = _against(root, files)
    found += _extra_vendored(root, files)
    found += _running_grader(files, version)
    return found


def _against(root: Path, files: Mapping[str, str]) -> list[Modification]:
    found = []
    for name, expected in files.items():
        path = root / name
        if not path.is_file():
            found.append(Modification(name, N_("missing")))
        elif digest(path.read_bytes()) != expected:
            found.append(Modification(name, N_("changed")))
    return found


def _extra_vendored(root: Path, files: Mapping[str, str]) -> list[Modification]:
    """Every file under the package folder that the manifest does not list: the workflow
    never installs it, but pip would run a `setup.py` there, and a student's machine does."""
    folder = root / PACKAGE_DIR
    found = []
    for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
        parts = path.relative_to(folder).parts
        # pip's in-tree build (on a student's machine) leaves build/ and *.egg-info beside
        # the packages, and Python its caches: none of them is an edit.
        if parts[0] == "build" or parts[0].endswith(".egg-info") or "__pycache__" in parts:
            continue
        if path.suffix in _SKIPPED_SUFFIXES or (path.is_dir() and not path.is_symlink()):
            continue
        name = path.relative_to(root).as_posix()
        if name not in files:
            found.append(Modification(name, N_("added")))
    return found


def _running_grader(files: Mapping[str, str], version: str) -> list[Modification]:
    """The code that is grading right now must be the vendored copy, file for file."""
    if version != __version__:
        return [Modification("descent",
                              _("version {running}, this assignment pins {pinned}").format(
                                  running=__version__, pinned=version), installed=True)]
    found = []
    for package in PACKAGES:
        folder = installed_package(package)
        if folder is None:
            found.append(Modification(f"{package}/", N_("missing"), installed=True))
            continue
        # One way only: an install holds .py files and package data, not every vendored file.
        for path in package_files(folder):
            relative = path.relative_to(folder).as_posix()
            expected = files.get(f"{PACKAGE_DIR}/{package}/{relative}")
            if expected is None:
                found.append(Modification(f"{package}/{relative}",
                                          N_("not in the release"), installed=True))
            elif digest(path.read_bytes()) != expected:
                found.append(Modification(f"{package}/{relative}",
                                          _("differs from {folder}").format(folder=PACKAGE_DIR),
                                          installed=True))
    return found
