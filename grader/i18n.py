"""Languages: which one the user gets, and program messages translated through gettext."""

from __future__ import annotations

import gettext
import locale
import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

__all__ = [
    "COURSE_SETTINGS",
    "DOMAIN",
    "LANGUAGES",
    "N_",
    "_",
    "course_language",
    "language",
    "ngettext",
    "resolve",
    "set_language",
]

DOMAIN = "descent"


def _offered() -> tuple[str, ...]:
    """English (the catalogue keys) and every language with a catalogue folder, so that a
    translator adds one with a .po file alone: grader/locale/<code>/LC_MESSAGES/."""
    try:
        folder = resources.files("grader").joinpath("locale")
        found = sorted(item.name for item in folder.iterdir()
                       if item.joinpath("LC_MESSAGES").is_dir() and item.name != "en")
    except OSError:  # never fail on import: English is always there
        found = []
    return ("en", *found)


LANGUAGES = _offered()
_current: list[tuple[str, gettext.NullTranslations]] = []
# POSIX locales that mean "no localisation": an explicit choice of the untranslated program.
_PLAIN = frozenset({"c", "posix"})
# A course's own default language (`lang = "zh"`), written by `descent release --lang zh`.
COURSE_SETTINGS = Path(".descent", "settings.toml")


def resolve(explicit: str | None = None, course: str | None = None) -> str:
    """The language to use: `explicit` (--lang), else DESCENT_LANG, else `course` (the
    course's default, see `course_language`), else the system locale (LC_ALL > LC_MESSAGES
    > LANG, with GNU's LANGUAGE list before them unless the locale is C; where none is set,
    the Windows or macOS user setting), else en. Unknown codes are skipped;
    Traditional-script Chinese (zh_TW, zh_HK, zh-Hant) gets the Simplified text."""
    for candidate in (explicit, os.environ.get("DESCENT_LANG"), course):
        code = _normalise(candidate)
        if code is not None:
            return code
    for candidate in _system_languages():
        if candidate.split(".")[0].split("@")[0].lower() in _PLAIN:
            return "en"
        code = _normalise(candidate)
        if code is not None:
            return code
    return "en"


def set_language(code: str | None = None, course: str | None = None) -> str:
    """Switch every later message to `code` (resolved as `resolve` does); returns the code.

    Forked children (the batch pool's workers) inherit the choice with the module state."""
    chosen = resolve(code, course)
    _current[:] = [(chosen, _load(chosen))]
    return chosen


def language() -> str:
    """The language in use (resolved from the environment on first use)."""
    if not _current:
        set_language()
    return _current[0][0]


def _(message: str) -> str:
    """`message` in the current language (the English text is the catalogue key)."""
    language()
    return _current[0][1].gettext(message) if message else message


def N_(message: str) -> str:
    """Mark `message` for the catalogue without translating it yet (translated when shown)."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for `count`, as the current language counts."""
    language()
    return _current[0][1].ngettext(singular, plural, count)


def course_language(folder: Path) -> str | None:
    """The default language the course at `folder` was released in; None when it names
    none (or its settings file cannot be read: the language is never worth a crash)."""
    try:
        settings = tomllib.loads((folder / COURSE_SETTINGS).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    value = settings.get("lang")
    return _normalise(value) if isinstance(value, str) else None


def _load(code: str) -> gettext.NullTranslations:
    if code == "en":
        return gettext.NullTranslations()
    localedir = resources.files("grader").joinpath("locale")
    return gettext.translation(DOMAIN, localedir=str(localedir), languages=[code], fallback=True)


def _normalise(value: str | None) -> str | None:
    """`zh_CN.UTF-8`, `zh-Hans-CN`, `zh_TW`, `zh-Hant`, `Chinese (Simplified)_China` → zh;
    `en_GB` → en; C, POSIX, empty or unknown → None."""
    if not value:
        return None
    head = value.strip().replace("-", "_").split(".")[0].split("_")[0].split(" ")[0].lower()
    head = {"chinese": "zh", "english": "en"}.get(head, head)
    return head if head in LANGUAGES else None


def _system_languages() -> Iterator[str]:
    """The user's locale settings, most specific first; the platform APIs are asked only
    when no POSIX variable is set (a Windows or macOS program started outside a shell)."""
    posix = next((os.environ[key] for key in ("LC_ALL", "LC_MESSAGES", "LANG")
                  if os.environ.get(key)), None)
    if posix is not None:
        # gettext's rule: LANGUAGE ("zh_CN:en") is a preference list, ignored under C.
        if posix.split(".")[0].lower() not in _PLAIN:
            yield from filter(None, os.environ.get("LANGUAGE", "").split(":"))
        yield posix
        return
    yield from filter(None, os.environ.get("LANGUAGE", "").split(":"))
    yield from _windows_languages()
    yield from _macos_languages()
    yield from _python_locale()


def _windows_languages() -> Iterator[str]:
    import ctypes

    kernel32 = getattr(getattr(ctypes, "windll", None), "kernel32", None)
    if kernel32 is None:  # not Windows
        return
    # The display language first (what the user reads), then the regional format.
    try:
        ui = locale.windows_locale.get(int(kernel32.GetUserDefaultUILanguage()))
        if ui:
            yield ui
        buffer = ctypes.create_unicode_buffer(85)  # LOCALE_NAME_MAX_LENGTH
        if kernel32.GetUserDefaultLocaleName(buffer, len(buffer)):
            yield buffer.value
    except (OSError, AttributeError, ValueError):
        return


def _macos_languages() -> Iterator[str]:
    if sys.platform != "darwin":
        return
    try:
        # `defaults` prints the user's ordered list, e.g. ( "zh-Hans-CN", "en-CN" ).
        shown = subprocess.run(["defaults", "read", "-g", "AppleLanguages"], capture_output=True,
                               text=True, timeout=2, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return
    for line in shown.splitlines():
        item = line.strip().strip(",()").strip().strip('"')
        if item:
            yield item
            return


def _python_locale() -> Iterator[str]:
    try:
        name = locale.getlocale(locale.LC_CTYPE)[0]
    except (ValueError, TypeError):
        return
    if name:
        yield name
