"""Finding submissions in folders and LMS zip files, with zip entries that escape refused."""

from __future__ import annotations

import hashlib
import shutil
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from grader.errors import UsageError

__all__ = ["Submission", "ZipRefused", "digest", "discover", "select_shard"]

_MAX_DEPTH = 6
_MAX_ENTRIES = 5000
_MAX_UNPACKED = 64 * 1024 * 1024
_IGNORED = {"__MACOSX", ".git", "__pycache__", ".venv", "node_modules"}


class ZipRefused(Exception):
    """A zip file that cannot be unpacked safely; the message names the entry."""


@dataclass(frozen=True)
class Submission:
    """One student's work: a name, and the exercises folder (None when none was found)."""

    name: str
    exercises: Path | None
    problem: str | None = None  # why nothing could be graded (a refused zip, …)


def discover(paths: list[Path], staging: Path) -> list[Submission]:
    """Every submission in `paths` (folders, zips, folders of either), sorted by name."""
    found: list[Submission] = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path} does not exist",
                             next_step="pass submission folders or zip files")
        found.extend(_expand(path.resolve(), staging))
    seen: set[str] = set()
    for submission in found:
        if submission.name in seen:
            raise UsageError(f"two submissions share the name {submission.name!r}",
                             next_step="rename one: results are written per submission name")
        seen.add(submission.name)
    return sorted(found, key=lambda s: s.name)


def _expand(path: Path, staging: Path) -> list[Submission]:
    if path.is_file():
        if not zipfile.is_zipfile(path):
            raise UsageError(f"{path} is neither a folder nor a zip file")
        return _from_zip(path, staging)
    if (path / "exercises").is_dir():
        return [Submission(path.name, path / "exercises")]
    children = sorted(p for p in path.iterdir() if p.name not in _IGNORED)
    entries = [c for c in children if c.is_dir() or zipfile.is_zipfile(c)]
    if entries and (any(c.is_file() for c in entries)
                    or any(_find_exercises(c) for c in entries)):
        found: list[Submission] = []
        for child in entries:
            found.extend(_from_zip(child, staging) if child.is_file() else [_folder(child)])
        return found
    return [_folder(path)]


def _folder(path: Path) -> Submission:
    return Submission(path.name, _find_exercises(path))


def _find_exercises(root: Path) -> Path | None:
    """The shallowest `exercises/` folder under `root`, as a student's zip may nest it."""
    level = [root]
    for _ in range(_MAX_DEPTH):
        following: list[Path] = []
        for folder in level:
            candidate = folder / "exercises"
            if candidate.is_dir() and not candidate.is_symlink():
                return candidate
            try:
                following.extend(sorted(p for p in folder.iterdir() if p.is_dir()
                                        and not p.is_symlink() and p.name not in _IGNORED))
            except OSError:
                continue
        level = following
    return None


def _from_zip(path: Path, staging: Path) -> list[Submission]:
    target = staging / path.stem
    try:
        if not (target / ".complete").exists():
            shutil.rmtree(target, ignore_errors=True)
            _unpack(path, target)
            (target / ".complete").touch()
    except (ZipRefused, zipfile.BadZipFile, OSError) as exc:
        shutil.rmtree(target, ignore_errors=True)
        return [Submission(path.stem, None, problem=f"{path.name} was refused: {exc}")]
    tops = sorted(p for p in target.iterdir() if p.is_dir() and p.name not in _IGNORED)
    nested = [top for top in tops if _find_exercises(top)]
    if (target / "exercises").is_dir() or len(nested) <= 1:
        return [Submission(path.stem, _find_exercises(target))]
    # One zip of many students: each top-level folder is a submission.
    return [_folder(top) for top in tops]


def _unpack(path: Path, target: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        if len(members) > _MAX_ENTRIES:
            raise ZipRefused(f"{len(members)} entries, over the {_MAX_ENTRIES} limit")
        if sum(m.file_size for m in members) > _MAX_UNPACKED:
            raise ZipRefused(f"it unpacks to more than {_MAX_UNPACKED // 2**20} MiB")
        for member in members:
            _check_member(member)
        target.mkdir(parents=True, exist_ok=True)
        for member in members:
            destination = target.joinpath(*PurePosixPath(member.filename).parts)
            if member.is_dir():
                destination.mkdir(parents=True, exist_ok=True)
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as source, destination.open("wb") as out:
                shutil.copyfileobj(source, out)


def _check_member(member: zipfile.ZipInfo) -> None:
    name = member.filename.replace("\\", "/")
    parts = PurePosixPath(name).parts
    if name.startswith("/") or (parts and ":" in parts[0]) or ".." in parts:
        raise ZipRefused(f"entry {member.filename!r} escapes the target folder")
    mode = member.external_attr >> 16
    # Many zip tools store only permission bits (no file type): those are plain files.
    if stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
        kind = "a link" if stat.S_ISLNK(mode) else "a special file"
        raise ZipRefused(f"entry {member.filename!r} is {kind}")


def digest(submission: Submission) -> str:
    """A hash of the submission's Python files: unchanged files are not graded again."""
    hasher = hashlib.sha256(submission.name.encode())
    if submission.exercises is not None and submission.exercises.is_dir():
        for file in sorted(submission.exercises.glob("*.py")):
            hasher.update(file.name.encode())
            try:
                hasher.update(file.read_bytes()[: 1 << 20])
            except OSError:
                hasher.update(b"<unreadable>")
    hasher.update((submission.problem or "").encode())
    return hasher.hexdigest()


def select_shard(submissions: list[Submission], shard: str | None) -> list[Submission]:
    """The deterministic slice K of N (`"K/N"`): by a hash of the name, stable as a class grows."""
    if shard is None:
        return submissions
    try:
        k, n = (int(part) for part in shard.split("/"))
    except ValueError:
        raise UsageError(f"--shard {shard!r} is not K/N", next_step="e.g. --shard 1/4") from None
    if not 1 <= k <= n:
        raise UsageError(f"--shard {shard}: K must be between 1 and N")
    return [s for s in submissions if zlib.crc32(s.name.encode()) % n == k - 1]
