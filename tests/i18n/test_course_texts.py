"""Course texts and stubs in Chinese: complete, in the glossary's terms, and switched with the
language in use; untouched stubs recognised and swapped in either language."""

from __future__ import annotations

import ast
import re
import shutil
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from grader.course import CATALOG, find_exercise
from grader.course_stubs import (
    BACKUP_DIR,
    stub_language,
    stub_problems,
    stub_text,
    swap_untouched_stubs,
)
from grader.course_texts import course_ids, course_table, missing_translations
from grader.i18n import set_language

REPO = Path(__file__).resolve().parents[2]
HINTS = REPO / "grader" / "course" / "hints"
GLOSSARY = tomllib.loads((REPO / "grader/locale/glossary.toml").read_text(encoding="utf-8"))
# Exercises whose Chinese stubs this repository ships: all of them.
ZH_STUBS = ["01_quadratic", "02_partials", "03_update_step", "04_sigmoid_delta",
            "05_torch_gradients", "06_losses", "07_linear_regression", "08_backprop",
            "09_autodiff"]
_HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def chinese() -> Iterator[None]:
    set_language("zh")
    yield
    set_language("en")


def _words(table: dict[str, Any]) -> list[str]:
    words = [str(table.get("title", "")), str(table.get("summary", ""))]
    for spec in table.get("functions", {}).values():
        words += [str(spec.get("task", "")), *map(str, spec.get("hints", []))]
    return [w for w in words if w]


def _stub_words(exercise_id: str) -> list[str]:
    """The docstrings, comments and messages of the Chinese stub: what a student reads."""
    source = (REPO / "grader/course/stubs/zh" / f"{exercise_id}.py").read_text(encoding="utf-8")
    strings = [node.value for node in ast.walk(ast.parse(source))
               if isinstance(node, ast.Constant) and isinstance(node.value, str)
               and len(node.value) > 12]
    return strings + [line.split("#", 1)[1] for line in source.splitlines() if "# " in line]


def test_every_course_text_has_a_chinese_version() -> None:
    assert missing_translations("zh") == []


def test_missing_translations_names_each_gap(tmp_path: Path, monkeypatch: Any) -> None:
    folder = tmp_path / "course" / "hints"
    shutil.copytree(HINTS, folder)
    broken = (folder / "03_update_step.zh.toml").read_text(encoding="utf-8")
    broken = broken.replace('title = "梯度下降的更新"', 'title = ""')
    broken = broken.replace('  "返回表达式 w - lr * grad（一个新值），而不是原地更新 w。",\n', "")
    (folder / "03_update_step.zh.toml").write_text(broken, encoding="utf-8")
    (folder / "01_quadratic.zh.toml").unlink()
    monkeypatch.setattr("grader.course_texts.hints_folder", lambda: folder)
    assert missing_translations("zh") == [
        "grader/course/hints/01_quadratic.zh.toml is missing",
        "grader/course/hints/03_update_step.zh.toml lacks title",
        "grader/course/hints/03_update_step.zh.toml: step has 2 hint tiers, the English 3",
    ]


@pytest.mark.parametrize("exercise_id", course_ids())
def test_chinese_texts_are_chinese(exercise_id: str) -> None:
    """Every field is written in Chinese (not an English sentence left in place)."""
    english, chinese = _words(course_table(exercise_id) or {}), course_table(exercise_id, "zh")
    assert chinese is not None
    for words in _words(chinese):
        assert _HAN.search(words), f"{exercise_id}: no Chinese in {words!r}"
        assert words not in english, f"{exercise_id}: left in English: {words!r}"


@pytest.mark.parametrize("exercise_id", course_ids())
def test_chinese_texts_use_the_glossary_terms(exercise_id: str) -> None:
    english = "\n".join(_words(course_table(exercise_id) or {}))
    chinese = "\n".join(_words(course_table(exercise_id, "zh") or {}))
    if exercise_id in ZH_STUBS:
        chinese += "\n".join(_stub_words(exercise_id))
    for term in GLOSSARY["term"]:
        if any(re.search(pattern, english, re.IGNORECASE) for pattern in term["en"]):
            assert term["zh"] in chinese, f"{exercise_id}: {term['en'][0]} is not {term['zh']}"
        used = [other for other in term["avoid"] if other in chinese]
        assert not used, f"{exercise_id}: {used} where the glossary says {term['zh']}"


def test_the_glossary_avoids_no_rendering_it_prescribes() -> None:
    """An `avoid` inside a prescribed term (均绝对误差 in 平均绝对误差) would flag good text."""
    prescribed = [term["zh"] for term in GLOSSARY["term"]]
    for term in GLOSSARY["term"]:
        assert not [a for a in term["avoid"] if any(a in zh for zh in prescribed)], term


@pytest.mark.parametrize("exercise_id", ZH_STUBS)
def test_chinese_stub_has_the_english_code(exercise_id: str) -> None:
    """Docstrings, comments and the NotImplementedError messages differ; nothing else."""

    def code(path: Path) -> str:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            body = getattr(node, "body", None)
            if (isinstance(body, list) and body and isinstance(body[0], ast.Expr)
                    and isinstance(body[0].value, ast.Constant)):
                node.body = body[1:]  # type: ignore[attr-defined]
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                node.exc.args = []
        return ast.dump(tree)

    english = REPO / "exercises" / f"{exercise_id}.py"
    assert code(REPO / "grader/course/stubs/zh" / f"{exercise_id}.py") == code(english)
    assert not [w for w in _stub_words(exercise_id) if not _HAN.search(w)
                and re.search(r"[A-Za-z]{3,} [a-z]{3,} [a-z]{3,}", w)]


def test_chinese_stub_digests_are_current() -> None:
    assert [p for p in stub_problems() if any(i in p for i in ZH_STUBS)] == []


def test_a_stale_chinese_stub_digest_is_reported(tmp_path: Path, monkeypatch: Any) -> None:
    package = tmp_path / "grader"
    shutil.copytree(REPO / "grader" / "course", package / "course",
                    ignore=shutil.ignore_patterns("*.pyc"))
    stub = package / "course/stubs/zh/02_partials.py"
    stub.write_text(stub.read_text(encoding="utf-8") + "# 改过\n", encoding="utf-8")
    monkeypatch.setattr("grader.course_stubs.resources.files", lambda _name: package)
    monkeypatch.setattr("grader.course_texts.hints_folder", lambda: package / "course/hints")
    stale = [p for p in stub_problems() if "02_partials" in p]
    assert len(stale) == 1 and "stub_sha256 = " in stale[0] and "02_partials.zh.toml" in stale[0]


def test_titles_hints_and_tasks_follow_the_language_in_use(chinese: None) -> None:
    entry = find_exercise("03_update_step")
    assert entry.title == "梯度下降的更新"
    assert entry.hints["step"][0].startswith("梯度指向上坡方向")
    assert "学习率" in entry.tasks["step"] or "lr" in entry.tasks["step"]
    set_language("en")
    assert entry.title == "The gradient-descent update"
    assert entry.text("zh").title == "梯度下降的更新"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_untouched_stubs_are_recognised_in_either_language(lang: str) -> None:
    for entry in CATALOG:
        if lang == "zh" and entry.id not in ZH_STUBS:
            continue
        text = stub_text(entry, lang, REPO)
        assert text is not None and entry.is_untouched_stub(text)
        assert entry.is_untouched_stub(text.replace("\n", "\r\n"))
        assert stub_language(entry.id, text) == lang
        assert not entry.is_untouched_stub(text.replace("raise NotImplementedError", "return 1", 1))


def test_swap_to_chinese_and_back_loses_nothing(tmp_path: Path) -> None:
    shutil.copytree(REPO / "exercises", tmp_path / "exercises")
    edited = tmp_path / "exercises" / "02_partials.py"
    mine = edited.read_text(encoding="utf-8").replace("raise NotImplementedError(", "return (", 1)
    edited.write_text(mine, encoding="utf-8")

    replaced = swap_untouched_stubs(tmp_path, course_ids(), "zh")

    assert replaced == [f"exercises/{i}.py" for i in ZH_STUBS if i != "02_partials"]
    quadratic = (tmp_path / "exercises" / "01_quadratic.py").read_text(encoding="utf-8")
    assert quadratic == stub_text("01_quadratic", "zh") and "练习 01" in quadratic
    assert edited.read_text(encoding="utf-8") == mine  # the student's work is never touched
    english = (REPO / "exercises" / "01_quadratic.py").read_text(encoding="utf-8")
    assert (tmp_path / BACKUP_DIR / "en" / "01_quadratic.py").read_text(encoding="utf-8") == english
    assert swap_untouched_stubs(tmp_path, course_ids(), "zh") == []

    assert "exercises/01_quadratic.py" in swap_untouched_stubs(tmp_path, course_ids(), "en")
    assert (tmp_path / "exercises" / "01_quadratic.py").read_text(encoding="utf-8") == english
