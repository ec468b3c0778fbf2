"""Languages: which one the user gets, and program messages translated through gettext."""

from __future__ import annotations

import gettext
import os
from importlib import resources

__all__ = ["DOMAIN", "LANGUAGES", "N_", "_", "language", "ngettext", "resolve", "set_language"]

DOMAIN = "descent"
LANGUAGES = ("en", "zh")
_current: list[tuple[str, gettext.NullTranslations]] = []


def resolve(explicit: str | None = None) -> str:
    """The language to use: `explicit` (--lang), else DESCENT_LANG, else the locale, else en."""
    for candidate in (explicit, os.environ.get("DESCENT_LANG"), *_locale_names()):
        code = _normalise(candidate)
        if code is not None:
            return code
    return "en"


def set_language(code: str | None = None) -> str:
    """Switch every later message to `code` (resolved as `resolve` does); returns the code."""
    chosen = resolve(code)
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
    return _current[0][1].gettext(message)


def N_(message: str) -> str:
    """Mark `message` for the catalogue without translating it yet (translated when shown)."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for `count`, as the current language counts."""
    language()
    return _current[0][1].ngettext(singular, plural, count)


def _load(code: str) -> gettext.NullTranslations:
    if code == "en":
        return gettext.NullTranslations()
    localedir = resources.files("grader").joinpath("locale")
    return gettext.translation(DOMAIN, localedir=str(localedir), languages=[code], fallback=True)


def _normalise(value: str | None) -> str | None:
    """`zh_CN.UTF-8`, `zh-Hant`, `zh` → zh; `en_GB` → en; C, POSIX, empty or unknown → None."""
    if not value:
        return None
    head = value.replace("-", "_").split(".")[0].split("_")[0].lower()
    return head if head in LANGUAGES else None


def _locale_names() -> list[str | None]:
    # LANGUAGE is GNU's preference list ("zh_CN:en"); the first entry wins.
    names: list[str | None] = [(os.environ.get("LANGUAGE") or "").split(":")[0] or None]
    names += [os.environ.get(key) for key in ("LC_ALL", "LC_MESSAGES", "LANG")]
    return names
