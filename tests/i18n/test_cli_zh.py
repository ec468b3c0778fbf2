"""`--lang zh` end to end: `descent check` and `grade` speak Chinese with the same diagnosis
ids, test names and JSON keys; a release made in Chinese defaults its repo to Chinese."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from grader.cli import main
from grader.course_stubs import stub_text
from tests.conftest import ROOT, SOLUTIONS

CORPUS = ROOT / "tests" / "corpus"
# One file per exercise, each with a named diagnosis (tests/corpus/manifest.toml).
WRONG = {"01_quadratic": "01_quadratic/derivative_sign.py",
         "04_sigmoid_delta": "04_sigmoid_delta/prime_is_sigma.py"}
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The solutions, with 01 and 04 replaced by wrong answers from the diagnosis corpus."""
    folder = tmp_path_factory.mktemp("course")
    shutil.copytree(SOLUTIONS, folder / "exercises")
    for exercise, source in WRONG.items():
        shutil.copyfile(CORPUS / source, folder / "exercises" / f"{exercise}.py")
    return folder


def _descent(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("DESCENT_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    # UTF-8 both ways: a pipe on Windows would otherwise use the ANSI code page.
    return subprocess.run([sys.executable, "-m", "grader.cli", *args], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8", timeout=300,
                          env={**clean, "LANG": "C.UTF-8", "COLUMNS": "200",
                               "PYTHONIOENCODING": "utf-8", **env})


def _keys(value: Any) -> Any:
    """The shape of JSON: every key, nested; values only as their type."""
    if isinstance(value, dict):
        return {key: _keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_keys(item) for item in value]
    return type(value).__name__ if value is not None else None


def test_check_in_chinese_keeps_ids_names_and_keys(course: Path):
    english = json.loads(_descent("check", "01", "04", "--json", cwd=course).stdout)
    chinese = json.loads(_descent("check", "--lang", "zh", "01", "04", "--json",
                                  cwd=course).stdout)
    assert _keys(chinese) == _keys(english)
    for ours, theirs in zip(english["tests"], chinese["tests"], strict=True):
        assert theirs["test"] == ours["test"] and theirs["verdict"] == ours["verdict"]
        assert (theirs["diagnosis"] or {}).get("name") == (ours["diagnosis"] or {}).get("name")
        if ours["verdict"] != "passed":
            assert CJK.search(theirs["rationale"]) and not CJK.search(ours["rationale"])
    diagnosed = {t["test"]: t["diagnosis"]["name"] for t in chinese["tests"] if t["diagnosis"]}
    assert diagnosed["01_quadratic:derivative"] == "sign-flipped"
    assert all(CJK.search(t["diagnosis"]["message"]) for t in chinese["tests"]
               if t["diagnosis"])


def test_check_report_in_chinese_from_flag_or_environment(course: Path):
    by_flag = _descent("check", "01", "--lang", "zh", cwd=course)
    by_env = _descent("check", "01", cwd=course, DESCENT_LANG="zh")
    by_locale = _descent("check", "01", cwd=course, LANG="zh_TW.UTF-8")
    assert by_flag.returncode == by_env.returncode == by_locale.returncode == 1
    for run in (by_flag, by_env, by_locale):
        assert "诊断：sign-flipped" in run.stdout  # the id stays English
        assert "未通过" in run.stdout and "得分 0/4" in run.stdout
        assert "01_quadratic" in run.stdout and "passed," not in run.stdout


def test_unknown_language_is_a_usage_error(course: Path):
    run = _descent("--lang", "fr", "list", cwd=course)
    assert run.returncode == 2
    assert "unknown language 'fr'" in run.stderr and "--lang en|zh" in run.stderr


def test_grade_in_chinese_reaches_the_workers_and_the_report(course: Path, tmp_path: Path):
    out = tmp_path / "out"
    run = _descent("grade", str(course), "--out", str(out), "--seed", "1", "--jobs", "2",
                   "--lang", "zh", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "1 份提交" in run.stdout and "班级报告" in run.stdout
    # The rationales were written by a forked worker: the language went with it.
    results = json.loads((out / course.name / "results.json").read_text(encoding="utf-8"))
    failed = [t for t in results["tests"] if t["status"] == "failed"]
    assert failed and all(CJK.search(t["output"]) for t in failed)
    assert {t["name"] for t in results["tests"]} >= {"01_quadratic:derivative"}
    header = (out / "grades.csv").read_text(encoding="utf-8").splitlines()[0]
    assert not CJK.search(header)  # CSV headers are an interface
    page = (out / "report.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in page and "班级报告" in page
    # The instructor reads the report in another language: only its own words change.
    english = _descent("report", str(out), "--lang", "en", cwd=tmp_path)
    assert english.returncode == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "Class report" in page


def test_a_chinese_release_defaults_its_repo_to_chinese(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    for name in ("DESCENT_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    repo = tmp_path / "assignment"
    assert main(["--course", str(ROOT), "release", str(repo), "--lang", "zh"]) == 0
    assert (repo / ".descent" / "settings.toml").read_text(encoding="utf-8").endswith(
        'lang = "zh"\n')
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert "## 提交" in readme and "descent check 03" in readme
    workflow = (repo / ".github" / "workflows" / "classroom.yml").read_text(encoding="utf-8")
    assert 'DESCENT_LANG: "zh"' in workflow
    stub = (repo / "exercises" / "01_quadratic.py").read_text(encoding="utf-8")
    assert CJK.search(stub) and "def derivative(" in stub
    # The student's CI: no --lang, an English runner, the repo's default decides.
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("GITHUB_OUTPUT", str(tmp_path / "output"))
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    monkeypatch.chdir(repo)
    capsys.readouterr()
    assert main(["ci"]) == 0
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## descent：0/") and "### 反馈" in text
    assert "`01_quadratic:derivative`" in text and "未作答" in text
    assert "::notice title=自动评分完成::得分 0/" in capsys.readouterr().out


def test_check_in_chinese_gives_untouched_english_stubs_the_chinese_ones(tmp_path: Path):
    exercises = tmp_path / "exercises"
    shutil.copytree(SOLUTIONS, exercises)
    english = (ROOT / "exercises" / "06_losses.py").read_text(encoding="utf-8")
    (exercises / "06_losses.py").write_text(english, encoding="utf-8")
    run = _descent("check", "--lang", "zh", "--json", cwd=tmp_path)
    swapped = (exercises / "06_losses.py").read_text(encoding="utf-8")
    assert swapped == stub_text("06_losses", "zh") and CJK.search(swapped)
    assert "exercises/06_losses.py" in run.stderr and CJK.search(run.stderr)
    assert (tmp_path / ".descent" / "stubs" / "en" / "06_losses.py").read_text(
        encoding="utf-8") == english  # nothing is lost
    results = {t["test"]: t["verdict"] for t in json.loads(run.stdout)["tests"]}
    assert results["06_losses:mae"] == "not_attempted"  # the Chinese stub is a stub too
    assert results["05_torch_gradients:linreg_grads"] == "passed"
    untouched = (exercises / "05_torch_gradients.py").read_text(encoding="utf-8")
    assert untouched == (SOLUTIONS / "05_torch_gradients.py").read_text(encoding="utf-8")
