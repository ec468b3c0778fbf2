"""A realistic synthetic class for the throughput benchmark: whole nine-exercise submissions."""

# Each student hands in all nine files. A file is the solution, the solution with one or two
# functions as a common mistake writes them (from tests/corpus, spliced into the solution's
# source by line range found with ast), the solution with its last functions still the
# stub's (raising NotImplementedError), or the untouched stub. Popular mistakes are drawn
# more often, so many students hand in the same answer, as a real class does.

from __future__ import annotations

import ast
import hashlib
import random
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.corpus import ENTRIES, Entry  # noqa: E402

__all__ = ["KINDS", "ClassMix", "make_class", "splice"]

# What one exercise file of a student who started the course is, with its probability.
KINDS: dict[str, float] = {"right": 0.55, "one mistake": 0.25, "two mistakes": 0.07,
                           "partly done": 0.08, "not started": 0.05}
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass
class ClassMix:
    """What was handed in: files per kind, and distinct files per exercise."""

    students: int = 0
    stub_students: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    distinct: dict[str, set[str]] = field(default_factory=dict)

    def describe(self) -> str:
        files = sum(self.kinds.values())
        kinds = ", ".join(f"{kind} {count / files:.0%}" for kind, count in self.kinds.items())
        distinct = sum(len(hashes) for hashes in self.distinct.values())
        return (f"{self.students} students, {self.stub_students} of them the untouched stubs; "
                f"their {files} files: {kinds}; {distinct} distinct files in all")


def _definitions(source: str) -> dict[str, ast.stmt]:
    """Each top-level definition by name, and each method as `Class.method`, in file order."""
    found: dict[str, ast.stmt] = {}
    for node in ast.parse(source).body:
        if isinstance(node, _DEFINITIONS):
            found[node.name] = node
            if isinstance(node, ast.ClassDef):
                found.update({f"{node.name}.{item.name}": item for item in node.body
                              if isinstance(item, _DEFINITIONS)})
    return found


def _spans(source: str) -> dict[str, tuple[int, int]]:
    """First and last line (1-based, decorators included) of each of `_definitions`."""
    return {name: (min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))]),
                   node.end_lineno or node.lineno)
            for name, node in _definitions(source).items()}


def _imports(source: str) -> tuple[list[str], int]:
    """The module's import statements (`from __future__` left out) and the line after which new
    ones go: the last import, or the docstring."""
    tree = ast.parse(source)
    lines = source.splitlines()
    found = [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
    after = max((node.end_lineno or 0 for node in found), default=0)
    if not after and tree.body and isinstance(tree.body[0], ast.Expr):
        after = tree.body[0].end_lineno or 0
    texts = ["\n".join(lines[node.lineno - 1:node.end_lineno]) for node in found
             if not (isinstance(node, ast.ImportFrom) and node.module == "__future__")]
    return texts, after


def _helpers(donor: str, names: Iterable[str], target: str) -> list[str]:
    """`names`, then the donor's top-level definitions they use (transitively) that the
    target lacks, so that a spliced function finds its helpers."""
    nodes = _definitions(donor)
    top = {name for name in nodes if "." not in name}
    have = set(_spans(target))
    wanted = list(names)
    for name in wanted:  # grows while it is walked
        used = {n.id for n in ast.walk(nodes[name]) if isinstance(n, ast.Name)}
        wanted += sorted(used & (top - have - set(wanted)))
    return wanted


def splice(target: str, donor: str, names: Iterable[str]) -> str:
    """`target` with each of `names` (a function, a class or `Class.method`) as `donor` writes
    it: in place of the target's where it has one, else after the last line of its class or
    of the module; the donor's imports that the target lacks come along."""
    donor_lines = donor.splitlines()
    donor_spans = _spans(donor)
    text = target
    for name in _helpers(donor, names, target):
        first, last = donor_spans[name]
        piece = donor_lines[first - 1:last]
        lines = text.splitlines()
        spans = _spans(text)
        if name in spans:
            start, end = spans[name]
            lines[start - 1:end] = piece
        elif "." in name and name.split(".")[0] in spans:
            end = spans[name.split(".")[0]][1]
            lines[end:end] = ["", *piece]
        else:
            lines += ["", "", *piece]
        text = "\n".join(lines) + "\n"
    present, after = _imports(text)
    new = [line for line in _imports(donor)[0] if line not in present]
    lines = text.splitlines()
    lines[after:after] = new
    return "\n".join(lines) + "\n"


def _unfinished(stub: str) -> list[str]:
    """The stub's functions and methods that raise NotImplementedError, in file order."""
    return [name for name, node in _definitions(stub).items()
            if isinstance(node, ast.FunctionDef) and any(
                isinstance(n, ast.Raise) and "NotImplementedError" in ast.unparse(n)
                for n in ast.walk(node))]


def _variants(exercise: str, entries: list[Entry], rng: random.Random) -> dict[str, list[str]]:
    """Every file a student may hand in for `exercise`, per kind, most popular first."""
    solution = (REPO / "solutions" / f"{exercise}.py").read_text(encoding="utf-8")
    stub = (REPO / "exercises" / f"{exercise}.py").read_text(encoding="utf-8")
    entries = sorted(entries, key=lambda entry: entry.name)
    rng.shuffle(entries)  # which mistakes are popular: the seed's choice
    one = [splice(solution, entry.path.read_text(encoding="utf-8"), entry.expected)
           for entry in entries]
    two = [splice(one[a], b.path.read_text(encoding="utf-8"), b.expected)
           for a, first in enumerate(entries) for b in entries
           if b.name > first.name and not first.expected.keys() & b.expected.keys()]
    rng.shuffle(two)
    unfinished = _unfinished(stub)
    # Students work through a file in order: what is left is its last functions.
    partly = [splice(solution, stub, unfinished[-k:]) for k in range(1, len(unfinished))]
    return {"right": [solution], "one mistake": one, "two mistakes": two or one,
            "partly done": partly or [stub], "not started": [stub]}


def _popular(rng: random.Random, files: list[str]) -> str:
    """One file, the first ones far more often (a Zipf-like share): duplicates, as in a class."""
    return rng.choices(files, weights=[1 / (rank + 1) for rank in range(len(files))])[0]


def make_class(folder: Path, students: int, stubs: float = 0.1, seed: int = 0) -> ClassMix:
    """Write `students` submissions (`folder/studentNNNN/exercises/`, nine files each); a
    share `stubs` of them hand in the untouched stubs. Deterministic for a seed."""
    rng = random.Random(seed)
    by_exercise: dict[str, list[Entry]] = {}
    for entry in ENTRIES:
        by_exercise.setdefault(entry.exercise, []).append(entry)
    variants = {exercise: _variants(exercise, entries, rng)
                for exercise, entries in sorted(by_exercise.items())}
    mix = ClassMix(students=students, distinct={exercise: set() for exercise in variants})
    for n in range(students):
        exercises = folder / f"student{n:04d}" / "exercises"
        exercises.mkdir(parents=True)
        handed_stubs = rng.random() < stubs
        mix.stub_students += handed_stubs
        for exercise, files in variants.items():
            kind = "not started" if handed_stubs else rng.choices(
                list(KINDS), weights=list(KINDS.values()))[0]
            text = _popular(rng, files[kind])
            (exercises / f"{exercise}.py").write_text(text, encoding="utf-8")
            if not handed_stubs:
                mix.kinds[kind] += 1
            mix.distinct[exercise].add(hashlib.sha256(text.encode()).hexdigest())
    return mix
