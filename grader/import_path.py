"""The grader's import path: the interpreter's libraries and the grader, never the cwd."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from grader.errors import UsageError

__all__ = ["grader_folder", "secure", "trusted"]

def trusted(paths: Sequence[str], cwd: str) -> list[str]:
    """`paths` (a sys.path) without '' and relative entries (the current folder, whichever
    it is when a module is first imported) and without the folder `cwd` itself."""
    here = os.path.realpath(cwd)
    return [p for p in paths if p and os.path.isabs(p) and os.path.realpath(p) != here]


def grader_folder() -> str:
    """The folder of the running grader package (an install, or an editable checkout)."""
    import grader

    return os.path.dirname(os.path.abspath(grader.__file__))


def secure() -> None:
    """Take the current folder off this process's sys.path before the libraries load.

    `python -m grader.cli` puts the folder it runs in first on sys.path: run in a student's
    clone, their `numpy.py` would be imported as the grader's numpy. Anything already
    imported from there (a module of the standard library that the student's file shadows)
    has run unsandboxed, so that run is refused.
    """
    here = os.path.realpath(os.getcwd())
    if here == os.path.dirname(grader_folder()):
        return  # the grader's own checkout (a course repo): what is here is the grader
    if not any(not p or os.path.realpath(p) == here for p in sys.path):
        return
    sys.path[:] = trusted(sys.path, here)
    shadowed = sorted(name for name, module in list(sys.modules.items())
                      if _found_in(here, name, getattr(module, "__file__", None)))
    if shadowed:
        raise UsageError(
            f"modules were imported from the current folder {here} ({', '.join(shadowed[:5])}) "
            "before grading began: files there may have run as the grader",
            next_step="run the installed `descent` command, or `python -I -m grader.cli`, "
            "from a folder that holds no submission",
        )


def _found_in(folder: str, name: str, path: object) -> bool:
    """Whether module `name` was found through `folder` on sys.path: `folder/<top>.py` or
    `folder/<top>/…` (a virtual environment inside the folder is not that)."""
    # Some modules (torch.ops) carry a bare name that is no file at all.
    if not isinstance(path, str) or not os.path.isabs(path):
        return False
    relative = os.path.relpath(os.path.realpath(path), folder).split(os.sep)
    return relative[0].split(".")[0] == name.split(".")[0]  # "../…" names nothing
