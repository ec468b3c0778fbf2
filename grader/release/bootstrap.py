"""Copy a released repo's vendored grader out of it, each file checked against the manifest.

The released workflow runs this file's text with `python -I` (standard library only, nothing
of the repo on the path) from a folder outside the repo, before anything is installed, and
then installs the copy: a file that the manifest does not list under the package (a
`setup.py`, a `.pth`) is never copied, so it never runs, and a listed file that differs stops
the run before any of it is installed. It imports nothing of descent: the grader is not
installed yet when it runs. `grader.release.manifest` takes its digest from here.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from pathlib import Path

__all__ = ["MANIFEST", "PACKAGE_DIR", "copy_package", "digest", "main"]

MANIFEST = ".descent/manifest.json"
PACKAGE_DIR = ".descent/package"  # the vendored grader that the workflow installs
_MODIFIED = 5  # the exit status of `descent ci` for modified grading files


def digest(data: bytes) -> str:
    # CRLF is folded to LF first: a checkout by git on Windows is not an edit.
    return hashlib.sha256(data.replace(b"\r\n", b"\n")).hexdigest()


def copy_package(repo: Path, target: Path) -> list[str]:
    """Copy every manifest file under the package folder into `target` (its root becomes
    `target`); return what is wrong, and copy nothing when anything is."""
    try:
        listed = json.loads((repo / MANIFEST).read_text(encoding="utf-8"))["files"]
        wanted = {name: str(expected) for name, expected in dict(listed).items()
                  if name.startswith(f"{PACKAGE_DIR}/")}
    except (OSError, ValueError, KeyError, TypeError):
        return [f"{MANIFEST} (missing or unreadable)"]
    problems: list[str] = []
    copies: dict[Path, bytes] = {}
    for name, expected in sorted(wanted.items()):
        relative = name.removeprefix(f"{PACKAGE_DIR}/")
        if relative.startswith("/") or ".." in relative.split("/"):
            problems.append(f"{name} (outside the package)")
            continue
        data = _read_plain(repo, name)
        if data is None:
            problems.append(f"{name} (missing, or not a plain file)")
        elif digest(data) != expected:
            problems.append(f"{name} (changed)")
        else:
            copies[target / relative] = data  # these bytes were checked: no second read
    if not problems and not copies:
        problems.append(f"{MANIFEST} (lists no file of {PACKAGE_DIR})")
    if problems:
        return problems
    for path, data in copies.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return []


def _read_plain(repo: Path, name: str) -> bytes | None:
    """The bytes of `repo/name` if it and every folder on the way are not symbolic links."""
    path = repo
    for part in name.split("/"):
        path = path / part
        if path.is_symlink():
            return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)  # a fifo must not block
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        return handle.read() if stat.S_ISREG(os.fstat(fd).st_mode) else None


def main(argv: list[str]) -> int:
    """`REPO TARGET`: 0 with the package copied, 5 (with a GitHub error line) without."""
    repo, target = Path(argv[0]), Path(argv[1])
    problems = copy_package(repo, target)
    if problems:
        listed = "; ".join(problems[:20])
        print(f"::error title=Grading files modified::modified: the grader vendored in this "
              f"repository is not as released, so no grade is given: {listed}")
        return _MODIFIED
    print(f"Copied the vendored grader, every file as released, to {target}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
