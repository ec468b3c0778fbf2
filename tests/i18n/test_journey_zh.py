"""A Chinese student's journey holds no English sentence: `descent check --lang zh` on typical
mistakes in all nine exercises, the answer parser's refusals and `descent hint`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from grader import i18n
from grader.course import CATALOG
from grader.errors import AnswerRejected
from grader.symbolic.parser import parse_answer
from tests.conftest import ROOT, SOLUTIONS

CORPUS = ROOT / "tests" / "corpus"
# One realistic wrong file per exercise, each with a named diagnosis (corpus/manifest.toml),
# none raising: an exception the student's code raises is quoted as the library wrote it.
WRONG = {
    "01_quadratic": "power_rule_no_factor",
    "02_partials": "dw_missing_chain_x",
    "03_update_step": "descend_grad_once",
    "04_sigmoid_delta": "delta_sign",
    "05_torch_gradients": "dw0_not_summed",
    "06_losses": "bce_log10",
    "07_linear_regression": "gd_summed_gradient",
    "08_backprop": "sigma_not_prime",
    "09_autodiff": "topo_not_reversed",
}
# An English sentence: four or more plain words in a row. Identifiers (dw_missing, X.T,
# np.zeros), diagnosis ids (power-rule-no-factor) and formulas never match: a word here is
# letters alone, bounded by a space, comma or semicolon, not by _ . - ( [ or a digit.
_WORD = r"(?<![\w.\-\[(/])[A-Za-z][a-z]+(?![\w.\-(\[/])"
ENGLISH_RUN = re.compile(rf"{_WORD}(?:[ ,;]+{_WORD}){{3,}}")
# JSON values that are interfaces, not prose: ids, names, verdicts, file paths.
_INTERFACE_KEYS = frozenset({"test", "exercise", "name", "verdict", "function", "file", "id"})


def english_runs(text: str) -> list[str]:
    """Every run of four or more English words in `text`."""
    return [match.group(0) for match in ENGLISH_RUN.finditer(text)]


def _prose(value: Any, key: str = "") -> Iterator[str]:
    """The string values of a JSON document that a student reads (not ids or names)."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield from _prose(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from _prose(item, key)
    elif isinstance(value, str) and key not in _INTERFACE_KEYS:
        yield value


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The solutions, every exercise replaced by one typical wrong file from the corpus."""
    folder = tmp_path_factory.mktemp("journey")
    shutil.copytree(SOLUTIONS, folder / "exercises")
    for exercise, name in WRONG.items():
        shutil.copyfile(CORPUS / exercise / f"{name}.py", folder / "exercises" / f"{exercise}.py")
    return folder


def _descent(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("DESCENT_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    return subprocess.run([sys.executable, "-m", "grader.cli", *args], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8", timeout=300,
                          env={**clean, "LANG": "zh_CN.UTF-8", "COLUMNS": "200",
                               "PYTHONIOENCODING": "utf-8"})


@pytest.fixture(scope="module")
def checked(course: Path) -> dict[str, Any]:
    """`descent check --json` in both languages; the locale alone chooses Chinese."""
    chinese = _descent("check", "--json", cwd=course)
    english = _descent("--lang", "en", "check", "--json", cwd=course)
    assert chinese.stdout and english.stdout, chinese.stderr + english.stderr
    return {"zh": json.loads(chinese.stdout), "en": json.loads(english.stdout)}


def test_the_detector_finds_english_and_passes_ids_and_formulas():
    assert english_runs("原因：the answer is not equal to the truth。") == [
        "the answer is not equal to the truth"]
    for quiet in ("诊断：power-rule-no-factor：幂法则", "w = np.zeros(n); rng = np.random.x",
                  "exercises/01_quadratic.py 中没有函数 mse()", "d/dx (a·x² + b·x + c)",
                  "∂loss/∂out，dw0 和 dw1", "seed 000 中 batch_size = m"):
        assert english_runs(quiet) == [], quiet


def test_check_json_on_mistakes_in_all_nine_exercises_is_chinese(checked: dict[str, Any]):
    chinese, english = checked["zh"], checked["en"]
    exercises = {test["test"].split(":")[0] for test in chinese["tests"]}
    assert exercises == {entry.id for entry in CATALOG} == set(WRONG)
    assert not any(t["verdict"] == "passed" for t in english["tests"]
                   if t["test"].split(":")[1] in _wrong_functions())
    found = {text: runs for text in _prose(chinese) if (runs := english_runs(text))}
    assert found == {}
    # The same detector on the English run is not quiet: it would see a missed translation.
    assert sum(len(english_runs(text)) for text in _prose(english)) > 20
    names = [(t["test"], (t["diagnosis"] or {}).get("name")) for t in chinese["tests"]]
    assert names == [(t["test"], (t["diagnosis"] or {}).get("name")) for t in english["tests"]]
    assert sum(1 for _test, name in names if name) >= len(WRONG)


def test_check_text_on_the_same_mistakes_is_chinese(course: Path):
    shown = _descent("check", cwd=course)
    assert shown.returncode == 1, shown.stderr
    assert "诊断" in shown.stdout and "得分" in shown.stdout
    assert english_runs(shown.stdout + shown.stderr) == []


def test_the_answer_parsers_refusals_are_chinese():
    i18n.set_language("zh")
    for answer in ("2x + 1", "x if x else 1", "[x, 1]", "foo(x)", "x % 2", ""):
        with pytest.raises(AnswerRejected) as refused:
            parse_answer(answer, {})
        assert re.search(r"[\u4e00-\u9fff]", refused.value.message), answer
        assert english_runs(refused.value.message) == [], refused.value.message


def test_hint_shows_brackets_and_chinese_text(tmp_path: Path):
    shutil.copytree(ROOT / "exercises", tmp_path / "exercises")
    shown = _descent("hint", "03_update_step:descend", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    # Course texts are printed as text, not Rich markup: their brackets stay.
    assert "[w0, w1, …, w_steps]" in shown.stdout and "trajectory[k]" in shown.stdout
    assert english_runs(shown.stdout) == []


def _wrong_functions() -> set[str]:
    import tomllib

    manifest = tomllib.loads((CORPUS / "manifest.toml").read_text(encoding="utf-8"))
    return {function for exercise, name in WRONG.items()
            for function in manifest[f"{exercise}/{name}"]}
