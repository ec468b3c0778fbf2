"""A student's Gradescope upload: the exercise files found in it, or why none could be read.

Students upload an `exercises/` folder, loose exercise files, or a zip of either (or push a
repository), so the files are looked for by name, the course's exercise file names, at any
depth up to a limit: a folder named `exercises` holding some wins, else the one shallowest
folder holding some; zips are read only when the folder itself holds none. Only those files
are taken, each size-capped and read without following links; a zip is never unpacked (its
chosen members are read in memory), so no entry can land outside where it is meant to.
"""

from __future__ import annotations

import os
import stat
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from grader.batch.intake import UNREADABLE_ZIP
from grader.course import CATALOG
from grader.i18n import _
from grader.portable.files import READ_UNTRUSTED

__all__ = ["MAX_FILE_BYTES", "Upload", "find_upload", "write_exercises"]

# Over the engine's own source limit, so a file too big is reported by the engine, by name.
MAX_FILE_BYTES = 1 << 20
_MAX_DEPTH = 6
_MAX_ENTRIES = 5000
_IGNORED = {"__MACOSX", "__pycache__", "node_modules"}
_WANTED = frozenset(entry.filename for entry in CATALOG)


@dataclass(frozen=True)
class Upload:
    """What was found: the exercise files (name → bytes), where, and any problem."""

    files: dict[str, bytes] = field(default_factory=dict)
    found_in: str = ""  # plain text: "exercises/ in your upload", "the top of hw.zip"
    problem: str | None = None  # plain text: why nothing was graded (a damaged zip, …)
    other_python: tuple[str, ...] = ()  # .py files seen that are not named as exercises


def find_upload(submission: Path) -> Upload:
    """The exercise files in the upload folder `submission` (empty when there are none)."""
    if not submission.is_dir():
        return Upload()
    paths = list(_walk(submission))
    chosen = _choose(paths)
    if isinstance(chosen, str):
        return Upload(problem=chosen)
    if chosen is not None:
        files = {p.name: data for p in paths if p.parent == chosen and p.name in _WANTED
                 and (data := _read_plain(submission, p)) is not None}
        return Upload(files, _where(chosen))
    zips = [p for p in paths if p.suffix.casefold() == ".zip"]
    return _from_zips(submission, zips, _others(paths))


def write_exercises(upload: Upload, target: Path) -> Path:
    """Write the found files into a fresh `target/exercises` (the only folder graded)."""
    folder = target / "exercises"
    folder.mkdir(parents=True)
    for name, data in upload.files.items():
        (folder / name).write_bytes(data)  # names are the catalog's, never the student's
    return folder


def _walk(root: Path) -> Iterable[PurePosixPath]:
    """Relative paths of the plain files under `root`: no links, hidden or ignored folders."""
    seen = 0
    level = [PurePosixPath()]
    for _depth in range(_MAX_DEPTH + 1):
        following: list[PurePosixPath] = []
        for folder in level:
            try:
                entries = sorted(os.scandir(root / folder), key=lambda e: e.name)
            except OSError:
                continue
            for entry in entries:
                seen += 1
                if seen > _MAX_ENTRIES:
                    return
                relative = folder / entry.name
                if entry.is_symlink():
                    continue
                if entry.is_dir():
                    if not entry.name.startswith(".") and entry.name not in _IGNORED:
                        following.append(relative)
                elif entry.is_file():
                    yield relative
        level = following


def _choose(paths: Iterable[PurePosixPath], zip_name: str = "") -> PurePosixPath | str | None:
    """The folder to grade (None: no exercise file anywhere), or why it is unclear."""
    folders = sorted({p.parent for p in paths if p.name in _WANTED})
    named = [f for f in folders if f.name == "exercises"]
    pool = named or folders
    if not pool:
        return None
    depth = min(len(f.parts) for f in pool)
    top = [f for f in pool if len(f.parts) == depth]
    if len(top) == 1:
        return top[0]
    listed = ", ".join(_where(f, zip_name) for f in top)
    several = (_("{zip} holds exercise files in several folders ({listed}), so it is not clear "
                 "which to grade; nothing was graded. Keep only one copy and submit again.")
               if zip_name else
               _("Your upload holds exercise files in several folders ({listed}), so it is not "
                 "clear which to grade; nothing was graded. Keep only one copy and submit "
                 "again."))
    return several.format(zip=zip_name, listed=listed)


def _where(folder: PurePosixPath, zip_name: str = "") -> str:
    if not folder.parts:
        return (_("the top of {zip}").format(zip=zip_name) if zip_name
                else _("the top of your upload"))
    if zip_name:
        return _("{folder}/ in {zip}").format(folder=folder.as_posix(), zip=zip_name)
    return _("{folder}/ in your upload").format(folder=folder.as_posix())


def _read_plain(root: Path, relative: PurePosixPath) -> bytes | None:
    try:
        fd = os.open(root / relative, READ_UNTRUSTED)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        return handle.read(MAX_FILE_BYTES + 1) if stat.S_ISREG(os.fstat(fd).st_mode) else None


def _others(paths: Iterable[PurePosixPath]) -> tuple[str, ...]:
    return tuple(p.as_posix() for p in paths if p.suffix == ".py" and p.name not in _WANTED)[:5]


def _from_zips(root: Path, zips: list[PurePosixPath], others: tuple[str, ...]) -> Upload:
    """The one zip holding exercise files; a damaged zip is a problem only if none holds any."""
    found: list[Upload] = []
    problems: list[str] = []
    for path in zips:
        try:
            upload = _read_zip(root / path, path.name)
        except (*UNREADABLE_ZIP, OSError) as exc:
            problems.append(_("{zip} cannot be read as a zip file ({error}): it may be "
                              "damaged or cut short in upload. Zip your exercises/ folder "
                              "again and submit again.").format(zip=path.name, error=exc))
            continue
        if upload.files or upload.problem:
            found.append(upload)
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        return Upload(problem=_("Your upload holds several zip files with exercise files in "
                                "them, so it is not clear which to grade; nothing was graded. "
                                "Upload one zip, or the files themselves."))
    if problems:
        return Upload(problem=" ".join(problems))
    return Upload(other_python=others)


def _read_zip(path: Path, shown: str) -> Upload:
    with zipfile.ZipFile(path) as archive:
        members: dict[PurePosixPath, zipfile.ZipInfo] = {}
        for info in archive.infolist()[:_MAX_ENTRIES]:
            name = PurePosixPath(info.filename.replace("\\", "/"))
            if info.is_dir() or not _plain_member(info, name):
                continue
            members[name] = info
        chosen = _choose(members, shown)
        if isinstance(chosen, str):
            return Upload(problem=chosen)
        if chosen is None:
            return Upload(other_python=_others(members))
        files = {}
        for name, info in members.items():
            if name.parent == chosen and name.name in _WANTED:
                with archive.open(info) as member:  # never more than the cap, whatever it claims
                    files[name.name] = member.read(MAX_FILE_BYTES + 1)
        return Upload(files, _where(chosen, shown))


def _plain_member(info: zipfile.ZipInfo, name: PurePosixPath) -> bool:
    """A regular file (not a link or device) with a relative path outside ignored folders."""
    if name.is_absolute() or ".." in name.parts or (name.parts and ":" in name.parts[0]):
        return False
    if len(name.parts) > _MAX_DEPTH + 1:
        return False
    if any(part.startswith(".") or part in _IGNORED for part in name.parts[:-1]):
        return False
    mode = info.external_attr >> 16
    return stat.S_IFMT(mode) in (0, stat.S_IFREG)
