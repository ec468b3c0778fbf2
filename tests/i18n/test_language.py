"""Which language descent speaks: --lang > DESCENT_LANG > the course's default > the locale
(LANGUAGE, LC_ALL > LC_MESSAGES > LANG; Windows and macOS APIs where none is set) > en."""

from __future__ import annotations

import ctypes
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from grader import i18n
from grader.i18n import course_language, resolve, set_language

_LOCALE_VARIABLES = ("DESCENT_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No locale variable set, no platform API answering, and the language restored after."""
    for name in _LOCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(i18n, "_windows_languages", lambda: iter(()))
    monkeypatch.setattr(i18n, "_macos_languages", lambda: iter(()))
    monkeypatch.setattr(i18n, "_python_locale", lambda: iter(()))
    saved = list(i18n._current)
    yield
    i18n._current[:] = saved


def test_the_flag_beats_descent_lang_which_beats_the_locale(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert resolve() == "zh"
    monkeypatch.setenv("DESCENT_LANG", "en")
    assert resolve() == "en"
    assert resolve("zh") == "zh"


def test_lc_all_beats_lc_messages_which_beats_lang(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("LC_MESSAGES", "zh_CN.UTF-8")
    assert resolve() == "zh"
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    assert resolve() == "en"


@pytest.mark.parametrize("plain", ["C", "C.UTF-8", "POSIX"])
def test_the_c_locale_means_english_even_over_lang_and_language(
        monkeypatch: pytest.MonkeyPatch, plain: str):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.setenv("LANGUAGE", "zh_CN:en")
    monkeypatch.setenv("LC_ALL", plain)
    assert resolve() == "en"
    monkeypatch.setenv("DESCENT_LANG", "zh")  # an explicit choice still wins
    assert resolve() == "zh"


def test_gnu_language_list_comes_before_the_locale_it_refines(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("LANGUAGE", "fr_FR:zh_CN:en")
    assert resolve() == "zh"  # French is not offered: the next preference


@pytest.mark.parametrize("name", ["zh_TW.UTF-8", "zh_HK", "zh-Hant", "zh-Hant-TW", "zh_SG",
                                  "zh-Hans-CN", "Chinese (Simplified)_China.936"])
def test_every_chinese_locale_gets_the_simplified_text(monkeypatch: pytest.MonkeyPatch,
                                                         name: str):
    monkeypatch.setenv("LANG", name)
    assert resolve() == "zh"


@pytest.mark.parametrize("value", ["fr", "", "xx_YY", "de_DE.UTF-8"])
def test_unknown_or_empty_values_are_skipped(monkeypatch: pytest.MonkeyPatch, value: str):
    monkeypatch.setenv("DESCENT_LANG", value)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert resolve() == "zh"
    assert resolve(value) == "zh"


def test_english_when_nothing_says_otherwise():
    assert resolve() == "en"


def test_the_course_default_sits_between_descent_lang_and_the_locale(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    (tmp_path / ".descent").mkdir()
    (tmp_path / ".descent" / "settings.toml").write_text('lang = "zh"\n', encoding="utf-8")
    default = course_language(tmp_path)
    assert default == "zh"
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert resolve(None, default) == "zh"
    monkeypatch.setenv("DESCENT_LANG", "en")
    assert resolve(None, default) == "en"


@pytest.mark.parametrize("text", ['lang = "zh', "lang = 3\n", 'lang = "klingon"\n'])
def test_a_broken_course_setting_is_ignored(tmp_path: Path, text: str):
    (tmp_path / ".descent").mkdir()
    (tmp_path / ".descent" / "settings.toml").write_text(text, encoding="utf-8")
    assert course_language(tmp_path) is None
    assert course_language(tmp_path / "missing") is None


def test_windows_display_language_is_asked_when_no_variable_is_set(
        monkeypatch: pytest.MonkeyPatch):
    def locale_name(buffer: Any, size: int) -> int:
        buffer.value = "zh-TW"
        return 6

    kernel32 = SimpleNamespace(GetUserDefaultUILanguage=lambda: 0x0409,  # en-US display
                               GetUserDefaultLocaleName=locale_name)
    monkeypatch.setattr(ctypes, "windll", SimpleNamespace(kernel32=kernel32), raising=False)
    monkeypatch.setattr(i18n, "_windows_languages", _real("_windows_languages"))
    assert list(i18n._windows_languages()) == ["en_US", "zh-TW"]
    assert resolve() == "en"  # the display language comes first
    kernel32.GetUserDefaultUILanguage = lambda: 0x0804  # zh-CN display
    assert resolve() == "zh"


def test_macos_apple_languages_are_asked_when_no_variable_is_set(
        monkeypatch: pytest.MonkeyPatch):
    shown = '(\n    "zh-Hans-CN",\n    "en-CN"\n)\n'
    calls: list[list[str]] = []

    def run(command: list[str], **_kwargs: Any) -> SimpleNamespace:
        calls.append(command)
        return SimpleNamespace(stdout=shown)

    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setattr(subprocess, "run", run)
    monkeypatch.setattr(i18n, "_macos_languages", _real("_macos_languages"))
    assert resolve() == "zh"
    assert calls == [["defaults", "read", "-g", "AppleLanguages"]]
    monkeypatch.setenv("LANG", "en_US.UTF-8")  # a terminal's LANG wins: no API asked
    assert resolve() == "en"
    assert len(calls) == 1


def test_platform_apis_fail_quietly_where_they_are_missing():
    # On this machine (no windll; darwin or not) asking must never raise.
    assert isinstance(list(_real("_windows_languages")()), list)


def test_set_language_switches_the_messages_and_plural_forms():
    set_language("zh")
    assert i18n.language() == "zh"
    assert i18n._("passed") == "通过"
    assert i18n.ngettext("{count} tier", "{count} tiers", 1).format(count=1) == "共 1 级"
    assert i18n.ngettext("{count} tier", "{count} tiers", 3).format(count=3) == "共 3 级"
    set_language("en")
    assert i18n._("passed") == "passed"
    assert i18n.ngettext("{count} tier", "{count} tiers", 1) == "{count} tier"


_ORIGINALS = {name: getattr(i18n, name)
              for name in ("_windows_languages", "_macos_languages", "_python_locale")}


def _real(name: str) -> Any:
    return _ORIGINALS[name]


@pytest.mark.parametrize(("argv", "rest", "code"), [
    (["--lang", "zh"], [], "zh"),  # the tutor-only path: `descent --lang zh`
    (["--lang=zh", "--course", "c"], ["--course", "c"], "zh"),
    (["check", "01", "--lang", "en", "--json"], ["check", "01", "--json"], "en"),
    (["check", "--", "--lang"], ["check", "--", "--lang"], None),
    (["list"], ["list"], None),
])
def test_lang_is_taken_wherever_it_stands(argv: list[str], rest: list[str], code: str | None):
    from grader.cli import _take_lang

    assert _take_lang(argv) == (rest, code)


@pytest.mark.parametrize("argv", [["--lang", "fr"], ["--lang"], ["check", "--lang="]])
def test_an_unknown_or_missing_language_is_a_usage_error(argv: list[str]):
    from grader.cli import _take_lang
    from grader.errors import UsageError

    with pytest.raises(UsageError, match="unknown language"):
        _take_lang(argv)
