"""Reading one exercise file before any of it runs: refusals that say what to do, top-level
names and forbidden uses."""

from __future__ import annotations

import ast
import functools
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from grader.checks.base import Assessment
from grader.course import Forbidden
from grader.course.shortcuts import find_forbidden
from grader.i18n import _
from grader.model import Verdict
from grader.portable.files import READ_UNTRUSTED
from grader.source_text import SourceEncodingError, decode_source

__all__ = ["MAX_SOURCE_BYTES", "SourceFile", "read_source"]

MAX_SOURCE_BYTES = 256 * 1024


@dataclass(frozen=True)
class SourceFile:
    """An exercise file as read: its text, top-level definitions and forbidden uses."""

    text: str
    functions: dict[str, int]  # top-level function name -> line
    forbidden: dict[str | None, int]  # a forbidden use's function (None: module level) -> line


def read_source(path: Path, shown: str, forbidden: Forbidden | None) -> SourceFile | Assessment:
    """The file at `path` (`shown`: its name as the student sees it) read and parsed, or why
    no test of it can run; nothing of it is executed."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return Assessment(
            Verdict.NOT_ATTEMPTED,
            _("{file} is missing. Copy the stub back from the course and fill it in.")
            .format(file=shown),
        )
    except OSError as exc:
        return _file_error(_("{file} cannot be read ({error}).").format(
            file=shown, error=exc.strerror))
    if not stat.S_ISREG(info.st_mode):
        kind = (_("{file} is a symbolic link; replace it with the Python file itself.")
                if stat.S_ISLNK(info.st_mode) else
                _("{file} is not a regular file; replace it with the Python file itself."))
        return _file_error(kind.format(file=shown))
    if info.st_size > MAX_SOURCE_BYTES:
        return _file_error(_("{file} is {size} bytes, over the {limit} limit.").format(
            file=shown, size=info.st_size, limit=MAX_SOURCE_BYTES))
    if _linked_folder(path.parent):
        return _file_error(_("{file} lies in a folder that is a symbolic link; submit "
                             "the folder itself.").format(file=shown))
    try:
        text = decode_source(_read_regular(path))
    except SourceEncodingError as exc:
        return _file_error(_("{file} {problem}. To fix it, {next_step}.").format(
            file=shown, problem=exc.message, next_step=exc.next_step))
    except OSError as exc:
        return _file_error(_("{file} cannot be read ({error}).").format(
            file=shown, error=exc.strerror))
    try:
        functions, found = _analyse(text, forbidden)
    except SyntaxError as exc:
        where = (_("line {line}, column {column}").format(line=exc.lineno, column=exc.offset)
                 if exc.offset else _("line {line}").format(line=exc.lineno))
        return _file_error(_("{file} has a syntax error at {where}: {error}.").format(
            file=shown, where=where, error=exc.msg))
    except (ValueError, RecursionError, MemoryError):
        return _file_error(_("{file} could not be parsed as Python.").format(file=shown))
    return SourceFile(text, functions, found)


def _file_error(sentence: str) -> Assessment:
    """An error that stops every test of the file: `sentence` names the file and why."""
    return Assessment(Verdict.ERROR, sentence + " " + _("No test of this file could run."))


@functools.lru_cache(maxsize=2048)
def _analyse(
    text: str, forbidden: Forbidden | None
) -> tuple[dict[str, int], dict[str | None, int]]:
    """Top-level functions (name → line) and forbidden uses; a class repeats many files."""
    tree = ast.parse(text)
    functions = {
        node.name: node.lineno
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)  # 09: Value
    }
    return functions, find_forbidden(tree, forbidden) if forbidden else {}


def _linked_folder(folder: Path) -> bool:
    """Whether the exercises folder is a link (e.g. to solutions/): its files are not theirs."""
    try:
        return stat.S_ISLNK(os.lstat(folder).st_mode)
    except OSError:
        return False


def _read_regular(path: Path) -> bytes:
    """The file's bytes, refusing (ELOOP) a symbolic link swapped in after the lstat check,
    and never more than the size limit."""
    fd = os.open(path, READ_UNTRUSTED)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(21, "not a regular file")
        return os.read(fd, MAX_SOURCE_BYTES + 1)[:MAX_SOURCE_BYTES]
    finally:
        os.close(fd)
