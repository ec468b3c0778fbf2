"""Finding submissions in folders and LMS zip files: safe names, zips staged by content.

The rule for what is one submission and what is a class:
- a folder or zip named on the command line is one submission when it holds `exercises/`
  at its top, or a single folder that holds one; otherwise it is a class (an LMS export),
  and each folder or zip at its top is one submission;
- a folder or zip *inside* a class is always one submission, named after itself: a
  student's zip can never split into several students or name one. One that holds several
  `exercises/` folders (say `draft/` and `final/`) gets an error result naming them.
Names are made safe (`names.safe_name`); a name claimed twice goes first to a file or
folder on disk, then to a folder inside a class zip, then by path; the others get `~2`, ….
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from grader.batch.loose import LooseGroup, loose_groups
from grader.batch.names import assign_names, inside, safe_name
from grader.errors import UsageError
from grader.i18n import _

__all__ = ["UNREADABLE_ZIP", "Submission", "ZipRefused", "digest", "discover", "parse_shard",
           "select_shard"]

_MAX_DEPTH = 6
_MAX_ENTRIES = 5000
_MAX_UNPACKED = 64 * 1024 * 1024
_IGNORED = {"__MACOSX", ".git", "__pycache__", ".venv", "node_modules"}
_STAGING = ".staging"
# Everything that can go wrong reading a zip someone else made: bad structure, bad
# compressed data, a cut-off file, encryption or an unknown compression method.
UNREADABLE_ZIP = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError,
               ValueError)


class ZipRefused(Exception):
    """A zip file that cannot be unpacked safely; the message names the entry."""


@dataclass(frozen=True)
class Submission:
    """One student's work: a name, and the exercises folder (None when none was found)."""

    name: str
    exercises: Path | None
    problem: str | None = None  # why nothing could be graded (a refused zip, …)


@dataclass(frozen=True)
class _Found:
    wanted: str  # the name it asks for, before `safe_name` and collisions
    rank: int  # 0: a file or folder on disk; 1: a folder inside a class zip
    origin: Path  # where it was found, for collisions and messages
    exercises: Path | None
    problem: str | None


def discover(paths: list[Path], out: Path) -> list[Submission]:
    """Every submission in `paths` (folders, zips, folders of either), sorted by name.

    Zips are unpacked under `out/.staging/<hash of the zip's bytes>`: a zip whose bytes
    change is read again. Staged copies no input uses any more are removed.
    """
    staging = _Staging(out)
    found: list[_Found] = []
    for path in paths:
        if not path.exists():
            raise UsageError(_("{path} does not exist").format(path=path),
                             next_step=_("pass submission folders or zip files"))
        found.extend(_named(path.resolve(), staging))
    if not found:
        raise UsageError(_("no submission was found in {paths}").format(
            paths=", ".join(map(str, paths))),
            next_step=_("pass folders holding exercises/, zip files, or folders of either"))
    staging.prune()
    names = assign_names((safe_name(f.wanted), f.rank, str(f.origin)) for f in found)
    return sorted((Submission(name, f.exercises, f.problem) for name, f in zip(names, found,
                   strict=True)), key=lambda s: s.name)


def _named(path: Path, staging: _Staging) -> list[_Found]:
    """What a path named on the command line holds: one submission, or a class."""
    if staging.owns(path):
        raise UsageError(_("{path} lies inside the output folder {out}").format(
            path=path, out=staging.out),
            next_step=_("pass the submissions, and an --out folder outside them"))
    if path.is_file():
        if not _is_zip(path):
            raise UsageError(_("{path} is neither a folder nor a zip file").format(path=path),
                             next_step=_("pass submission folders or zip files"))
        root, problem = staging.unpack(path)
        if root is None:
            return [_Found(_zip_name(path), 0, path, None, problem)]
        entries, loose = _entries(root, staging), loose_groups(root, _exercise_files())
        if _is_class(root, entries) or loose:
            return _class(entries, loose, staging, rank=1)
        return [_one(_zip_name(path), 0, path, root)]
    entries, loose = _entries(path, staging), loose_groups(path, _exercise_files())
    if _is_class(path, entries) or loose:
        return _class(entries, loose, staging, rank=0)
    if not _exercises_under(path):
        raise UsageError(_("{path} holds no exercises/ folder and no zip file").format(path=path),
                         next_step=_("pass a student's folder, a zip, or a folder of either"))
    return [_one(path.name, 0, path, path)]


def _class(entries: list[Path], loose: list[LooseGroup], staging: _Staging,
           rank: int) -> list[_Found]:
    """A class's submissions: each folder or zip, and each student's loose Canvas files."""
    found = [_member(entry, staging, rank) for entry in entries]
    for group in loose:
        first = next(iter(group.files.values()))
        try:
            found.append(_one(group.wanted, rank, first, staging.gather(group.files)))
        except OSError as exc:
            found.append(_Found(group.wanted, rank, first, None,
                                _("{file} and its other files cannot be read ({error}). Check "
                                  "their permissions, then re-run.").format(
                                    file=first.name, error=exc.strerror)))
    return found


def _exercise_files() -> frozenset[str]:
    from grader.course import CATALOG

    return frozenset(entry.filename for entry in CATALOG)


def _is_class(root: Path, entries: list[Path]) -> bool:
    if (root / "exercises").is_dir():
        return False
    return any(entry.is_file() for entry in entries) or sum(
        1 for entry in entries if _exercises_under(entry) or _zips_in(entry)) >= 2


def _entries(folder: Path, staging: _Staging) -> list[Path]:
    """The folders and zip files at the top of `folder` (other files are not submissions),
    leaving out OUT_DIR when it lies in an input folder."""
    skip = not staging.owns(folder)
    return sorted(child for child in folder.iterdir()
                  if child.name not in _IGNORED and not (skip and staging.owns(child))
                  and ((child.is_dir() and not child.is_symlink())
                       or (child.is_file() and _is_zip(child))))


def _member(entry: Path, staging: _Staging, rank: int) -> _Found:
    """A folder or zip inside a class: always exactly one submission, named after itself.

    A folder that holds no `exercises/` but one zip is graded from that zip: Moodle's
    download gives each student a folder holding what they uploaded.
    """
    if entry.is_dir():
        zips = [] if _exercises_under(entry) else _zips_in(entry)
        if len(zips) != 1:
            return _one(entry.name, rank, entry, entry)
        root, problem = staging.unpack(zips[0])
        if root is None:
            return _Found(entry.name, rank, entry, None, problem)
        return _one(entry.name, rank, entry, root)
    root, problem = staging.unpack(entry)
    if root is None:
        return _Found(_zip_name(entry), rank, entry, None, problem)
    return _one(_zip_name(entry), rank, entry, root)


def _one(wanted: str, rank: int, origin: Path, root: Path) -> _Found:
    found = _exercises_under(root)
    if len(found) > 1:
        listed = ", ".join(str(f.relative_to(root)) for f in found)
        return _Found(wanted, rank, origin, None,
                      _("{name} holds several exercises/ folders ({listed}), so it is not "
                        "clear which one to grade; nothing was graded. Ask the student to keep "
                        "only one and submit again.").format(name=origin.name, listed=listed))
    return _Found(wanted, rank, origin, found[0] if found else None, None)


def _exercises_under(root: Path) -> list[Path]:
    """The shallowest `exercises/` folders under `root`, as a student's zip may nest it."""
    level = [root]
    for _depth in range(_MAX_DEPTH):
        following: list[Path] = []
        found: list[Path] = []
        for folder in level:
            candidate = folder / "exercises"
            if candidate.is_dir() and not candidate.is_symlink():
                found.append(candidate)
                continue
            try:
                following.extend(sorted(p for p in folder.iterdir() if p.is_dir()
                                        and not p.is_symlink() and p.name not in _IGNORED))
            except OSError:
                continue
        if found:
            return found
        level = following
    return []


def _zips_in(folder: Path) -> list[Path]:
    """The zip files at the top of a folder inside a class (by name: a student's other
    files are not opened to find out)."""
    try:
        return sorted(p for p in folder.iterdir() if p.suffix.casefold() == ".zip"
                      and p.is_file() and not p.is_symlink())
    except OSError:
        return []


def _is_zip(path: Path) -> bool:
    # By name as well as by content: a truncated zip has lost the directory that
    # `is_zipfile` looks for, and must become an error result, not vanish.
    return path.suffix.casefold() == ".zip" or zipfile.is_zipfile(path)


def _zip_name(path: Path) -> str:
    return path.stem if path.suffix.casefold() == ".zip" else path.name


class _Staging:
    """`OUT_DIR/.staging`: each zip unpacked once per content, in a folder named by its hash."""

    def __init__(self, out: Path) -> None:
        self.out = out.resolve()
        self.root = inside(self.out, _STAGING)
        self._used: set[str] = set()

    def owns(self, path: Path) -> bool:
        return path.resolve() == self.out or self.out in path.resolve().parents

    def unpack(self, path: Path) -> tuple[Path | None, str | None]:
        """The folder `path` unpacks to, or None and why it cannot be graded."""
        try:
            key = _content_hash(path)
        except OSError as exc:
            return None, _("{file} cannot be read ({error}). Check the file's permissions, "
                           "then re-run the same command.").format(file=path.name,
                                                                   error=exc.strerror)
        self._used.add(key)
        target = inside(self.root, key)
        if target.is_dir():
            return target, None
        partial = inside(self.root, f"{key}.partial")
        shutil.rmtree(partial, ignore_errors=True)
        try:
            _unpack(path, partial)
        except ZipRefused as exc:
            problem = _("{file} was refused: {reason}. Ask the student for a plain zip of "
                        "their exercises/ folder.").format(file=path.name, reason=exc)
        except (*UNREADABLE_ZIP, OSError) as exc:
            problem = _("{file} cannot be read as a zip file ({error}): it may be damaged or "
                        "cut short in upload. Ask the student to upload it again.").format(
                file=path.name, error=exc)
        else:
            os.replace(partial, target)
            return target, None
        shutil.rmtree(partial, ignore_errors=True)
        return None, problem

    def gather(self, files: dict[str, Path]) -> Path:
        """A staged folder holding `exercises/` with `files` (exercise name → file), once per
        content, like a zip's."""
        # Past 1 MiB a file is over the engine's size limit anyway: that much says so.
        contents = {name: _head(path, 1 << 20) for name, path in files.items()}
        hasher = hashlib.sha256()
        for name, data in contents.items():
            hasher.update(name.encode() + b"\0" + data + b"\0")
        key = "loose-" + hasher.hexdigest()[:32]
        self._used.add(key)
        target = inside(self.root, key)
        if not target.is_dir():
            partial = inside(self.root, f"{key}.partial")
            shutil.rmtree(partial, ignore_errors=True)
            (partial / "exercises").mkdir(parents=True)
            for name, data in contents.items():
                (partial / "exercises" / name).write_bytes(data)
            os.replace(partial, target)
        return target

    def prune(self) -> None:
        """Remove staged zips that no input uses now (older versions of resubmitted zips)."""
        if not self.root.is_dir():
            return
        for child in self.root.iterdir():
            if child.name not in self._used:
                stale = inside(self.root, child.name)
                if stale.is_dir() and not stale.is_symlink():
                    shutil.rmtree(stale)
                else:
                    stale.unlink()


def _head(path: Path, limit: int) -> bytes:
    with path.open("rb") as source:
        return source.read(limit + 1)


def _content_hash(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(1 << 20):
            hasher.update(chunk)
    return hasher.hexdigest()[:32]


def _unpack(path: Path, target: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        if len(members) > _MAX_ENTRIES:
            raise ZipRefused(_("{count} entries, over the {limit} limit").format(
                count=len(members), limit=_MAX_ENTRIES))
        if sum(m.file_size for m in members) > _MAX_UNPACKED:
            raise ZipRefused(_("it unpacks to more than {size} MiB").format(
                size=_MAX_UNPACKED // 2**20))
        if not any(not m.is_dir() for m in members):
            raise ZipRefused(_("it is empty (it holds no files)"))
        for member in members:
            _check_member(member)
        target.mkdir(parents=True)
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
        raise ZipRefused(_("entry {name!r} escapes the target folder").format(
            name=member.filename))
    mode = member.external_attr >> 16
    # Many zip tools store only permission bits (no file type): those are plain files.
    if stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
        kind = (_("entry {name!r} is a link") if stat.S_ISLNK(mode)
                else _("entry {name!r} is a special file"))
        raise ZipRefused(kind.format(name=member.filename))


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
    k, n = parse_shard(shard)
    return [s for s in submissions if zlib.crc32(s.name.encode()) % n == k - 1]


def parse_shard(shard: str) -> tuple[int, int]:
    """`"K/N"` as (K, N), refused unless 1 ≤ K ≤ N."""
    try:
        k, n = (int(part) for part in shard.split("/"))
    except ValueError:
        raise UsageError(_("--shard {shard!r} is not K/N").format(shard=shard),
                         next_step=_("e.g. --shard 1/4")) from None
    if not 1 <= k <= n:
        raise UsageError(_("--shard {shard}: K must be between 1 and N").format(shard=shard),
                         next_step=_("e.g. --shard 1/4"))
    return k, n
