"""One class that holds every attack on the batch path, beside honest students.

Run as an instructor would (`descent grade CLASS --out OUT` in a fresh process), the batch
must finish, grade the honest students right, give no attack a point it did not earn,
name every submission that errored, and write nothing outside OUT_DIR.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from grader.course import CATALOG, find_exercise
from grader.engine import DEFAULT_SEED
from tests.conftest import EXERCISES, SOLUTIONS
from tests.security.helpers import step_module
from tests.security.test_attack_predicted_inputs import _LOOKUP, predicted_table

MAX = sum(entry.max_score for entry in CATALOG)
_PARTIALS = find_exercise("02_partials").filename
_SIGMOID = find_exercise("04_sigmoid_delta").filename
_UPDATE = find_exercise("03_update_step").filename


def _solutions(folder: Path, **replaced: str | bytes) -> Path:
    """`folder/exercises` holding the solutions, with some files replaced."""
    exercises = folder / "exercises"
    shutil.copytree(SOLUTIONS, exercises)
    for filename, content in replaced.items():
        target = exercises / filename
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return folder


def _zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def _tree(prefix: str, base: Path = SOLUTIONS) -> dict[str, bytes]:
    return {f"{prefix}{p.name}": p.read_bytes() for p in base.glob("*.py")}


def _partials_answering(dE_dw: str) -> str:
    """02 with the solution's other answers and dE_dw() returning `dE_dw` (SymPy source)."""
    solution = (SOLUTIONS / _PARTIALS).read_text(encoding="utf-8")
    head, _, rest = solution.partition("def dE_dw():")
    _, _, tail = rest.partition("def dE_db():")
    return f"{head}def dE_dw():\n    return {dE_dw}\n\n\ndef dE_db():{tail}"


TRUTH = "Sum((w*X[i] + b - Y[i])*X[i], (i, 1, m))/m"
VANISHING = f"{TRUTH} + 1000*(m-1)*(m-2)*(m-3)*(m-4)*(m-5)*w"

def _nested_zero(depth: int) -> str:
    """The truth plus sums nested `depth` deep over m*m of a body that is identically zero:
    what once kept the grader's sampler busy for minutes (the issue's ~55-node answer)."""
    body = "(X[i] + 1)**2 - X[i]**2 - 2*X[i] - 1"
    for name in "jklnpqrst"[:depth]:
        body = f"Sum({body}, (Symbol({name!r}, integer=True), 1, m*m))"
    return f"{TRUTH} + Sum({body}, (i, 1, m))"


NESTED = _nested_zero(9)  # refused when read: SymPy folds it into one Sum of 10 indices
WIDE = _nested_zero(2)  # read, then over the judge's budget


def build_class(root: Path) -> tuple[Path, dict[str, str]]:
    """The class folder, and what each submission is (by the name it arrives under)."""
    klass = root / "class"
    klass.mkdir()
    what: dict[str, str] = {}

    _solutions(klass / "honest")
    what["honest"] = "honest: the solutions"
    _zip(klass / "zipped-honest.zip", _tree("zipped-honest/exercises/"))
    what["zipped-honest"] = "honest, as a zip"
    shutil.copytree(EXERCISES, klass / "untouched" / "exercises")
    what["untouched"] = "the stubs as shipped"

    # Names as attacks: `...zip` has the stem `..`; the others impersonate or collide.
    _zip(klass / "...zip", {**_tree("exercises/", EXERCISES),
                            "journal.sqlite": b"forged", "grades.csv": b"forged"})
    _zip(klass / "eve.zip", _tree("honest/exercises/", EXERCISES))
    _zip(klass / "grades.csv.zip", _tree("grades.csv/exercises/", EXERCISES))
    _zip(klass / "drafts.zip", {**_tree("draft/exercises/"), **_tree("final/exercises/")})
    (klass / "damaged.zip").write_bytes(b"PK\x03\x04" + os.urandom(600))
    whole = _zip(root / "whole.zip", _tree("exercises/")).read_bytes()
    (klass / "truncated.zip").write_bytes(whole[: len(whole) // 2])
    _zip(klass / "empty.zip", {})
    (klass / "nothing-here").mkdir()

    # Code as attacks, each in an otherwise honest submission.
    table = json.dumps(predicted_table(DEFAULT_SEED, "predictor"))
    _solutions(klass / "predictor", **{_SIGMOID: _LOOKUP.format(table=table)})
    _solutions(klass / "vanishing", **{_PARTIALS: _partials_answering(VANISHING)})
    _solutions(klass / "nested-sums", **{_PARTIALS: _partials_answering(NESTED)})
    _solutions(klass / "wide-sums", **{_PARTIALS: _partials_answering(WIDE)})
    _solutions(klass / "huge-integer", **{_UPDATE: step_module("return 10**400")})
    _solutions(klass / "huge-expression", **{_PARTIALS: _partials_answering("10**4000*w")})
    loud = "import sys\nsys.stdout.write('noise ' * (4 * 2**20))\n"
    _solutions(klass / "loud", **{_SIGMOID: loud + (SOLUTIONS / _SIGMOID).read_text("utf-8")})
    latin = ("# -*- coding: latin-1 -*-\n# Schr\xf6dinger's sigmoid\n".encode("latin-1")
             + (SOLUTIONS / _SIGMOID).read_bytes())
    _solutions(klass / "latin", **{_SIGMOID: latin})
    _solutions(klass / "shadowing")
    for module in ("numpy", "sympy", "torch", "json"):
        marker = root / f"imported-{module}"
        (klass / "shadowing" / "exercises" / f"{module}.py").write_text(
            f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
        (klass / "shadowing" / f"{module}.py").write_text(
            f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    return klass, what


def _listing(root: Path, skip: Path) -> dict[str, float]:
    return {str(p): p.stat().st_mtime for p in root.rglob("*")
            if skip not in p.parents and p != skip}


def test_an_adversarial_class_finishes_and_only_honest_work_scores(tmp_path: Path) -> None:
    klass, _ = build_class(tmp_path)
    out = tmp_path / "out"
    before = _listing(tmp_path, out)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    descent = Path(sys.executable).parent / "descent"  # the console script, as installed
    started = time.perf_counter()
    finished = subprocess.run(
        [str(descent), "grade", str(klass), "--out", str(out)],
        cwd=klass / "shadowing", env=env,
        capture_output=True, text=True, timeout=600, check=False,
    )
    seconds = time.perf_counter() - started
    print(f"adversarial batch: {seconds:.1f} s")
    assert finished.returncode == 0, finished.stderr[-3000:]

    data = json.loads((out / "all_results.json").read_text(encoding="utf-8"))
    scores = {s["name"]: s["score"] for s in data["submissions"]}
    verdicts = {s["name"]: {t["test"]: t["verdict"] for t in s["tests"]}
                for s in data["submissions"]}
    assert scores["honest"] == MAX and scores["zipped-honest"] == MAX
    assert scores["untouched"] == 0
    # Honest in every file but the attacked one: full marks there, and only there.
    for name, attacked in (("vanishing", "02_partials:dE_dw"),
                           ("nested-sums", "02_partials:dE_dw"),
                           ("wide-sums", "02_partials:dE_dw"),
                           ("huge-expression", "02_partials:dE_dw"),
                           ("huge-integer", "03_update_step:step")):
        assert verdicts[name][attacked] != "passed", (name, verdicts[name][attacked])
        others = [v for test, v in verdicts[name].items() if test != attacked]
        assert set(others) == {"passed"}, (name, verdicts[name])
    predicted = {t: v for t, v in verdicts["predictor"].items() if t.startswith("04_")}
    assert set(predicted.values()) == {"failed"}, predicted
    assert scores["loud"] == MAX and scores["latin"] == MAX and scores["shadowing"] == MAX
    # No name from a submission took another's place or a class file's.
    assert sum(1 for s in data["submissions"] if s["score"] == MAX) == 5
    assert len(scores) >= 19, sorted(scores)  # eve, `..` and grades.csv kept apart
    assert not any(name in ("..", ".", "grades.csv", "journal.sqlite") for name in scores)
    for name in ("damaged", "truncated", "empty", "drafts"):
        assert name in scores, sorted(scores)
        assert scores[name] == 0
        assert name in finished.stdout, finished.stdout[-3000:]
    assert not list(tmp_path.glob("imported-*"))
    # Nothing outside OUT_DIR was written, moved or removed.
    assert _listing(tmp_path, out) == before
    assert (out / "grades.csv").read_text(encoding="utf-8").startswith("submission,")
