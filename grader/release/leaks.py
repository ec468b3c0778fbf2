"""Finding solutions in a released repo: copied files, compiled files, solution code in any file."""

from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass
from pathlib import Path

from grader.i18n import _

__all__ = ["find_leaks"]

# A function body smaller than this (in AST nodes) is too generic to call a solution.
_MIN_BODY_NODES = 6


@dataclass(frozen=True)
class _Fingerprints:
    files: dict[str, str]  # sha256 of a whole solution file -> its name
    sources: dict[str, str]  # source text of a solution function -> "file:function"
    bodies: dict[str, str]  # ast.dump of a function body (docstring dropped) -> "file:function"


def find_leaks(released: Path, solutions: Path, stubs: Path) -> list[str]:
    """What in `released` could hand a student a solution from `solutions` (empty: nothing).

    Code that the stubs in `stubs` already give away (a helper both share) is not a leak.
    """
    prints = _fingerprints(solutions)
    given = _fingerprints(stubs)
    for source in given.sources:
        prints.sources.pop(source, None)
    for body in given.bodies:
        prints.bodies.pop(body, None)
    found: list[str] = []
    for path in sorted(released.rglob("*")):
        relative = path.relative_to(released)
        if ".git" in relative.parts or not path.is_file():
            continue
        shown = relative.as_posix()
        if "solutions" in relative.parts:
            found.append(_("{file}: inside a solutions folder").format(file=shown))
        if path.suffix in {".pyc", ".pyo"} or "__pycache__" in relative.parts:
            found.append(_("{file}: compiled Python, which can be decompiled").format(file=shown))
            continue
        data = path.read_bytes()
        copied = prints.files.get(hashlib.sha256(data).hexdigest())
        if copied:
            found.append(_("{file}: a copy of {solution}").format(
                file=shown, solution=f"solutions/{copied}"))
            continue
        text = data.decode("utf-8", errors="replace")
        found += [_("{file}: holds the source of {name}").format(file=shown, name=name)
                  for source, name in prints.sources.items() if source in text]
        if path.suffix == ".py":
            found += [_("{file}: line {line} has the body of {name}").format(
                file=shown, line=line, name=name)
                      for line, name in _matching_bodies(text, prints.bodies)]
    return sorted(set(found))


def _fingerprints(folder: Path) -> _Fingerprints:
    prints = _Fingerprints({}, {}, {})
    for path in sorted(folder.glob("*.py")) if folder.is_dir() else ():
        data = path.read_bytes()
        prints.files[hashlib.sha256(data).hexdigest()] = path.name
        text = data.decode("utf-8", errors="replace")
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                name = f"{folder.name}/{path.name}:{node.name}"
                source = ast.get_source_segment(text, node)
                if source:
                    prints.sources[source] = name
                body = _body(node)
                if body is not None:
                    prints.bodies[body] = name
    return prints


def _body(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """The function's statements without its docstring, as a layout-free dump; None if tiny."""
    statements = node.body
    if (statements and isinstance(statements[0], ast.Expr)
            and isinstance(statements[0].value, ast.Constant)
            and isinstance(statements[0].value.value, str)):
        statements = statements[1:]
    module = ast.Module(body=statements, type_ignores=[])
    if sum(1 for _ in ast.walk(module)) < _MIN_BODY_NODES:
        return None
    return ast.dump(module)


def _matching_bodies(text: str, bodies: dict[str, str]) -> list[tuple[int, str]]:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    matches = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            body = _body(node)
            if body is not None and body in bodies:
                matches.append((node.lineno, bodies[body]))
    return matches
