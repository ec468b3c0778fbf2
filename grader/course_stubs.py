"""Exercise stubs per language: their text, which language a file's untouched stub is in, and
swapping an untouched stub for the one in the student's language.

English stubs are the course's `exercises/`; translated ones are package data under
`grader/course/stubs/<lang>/`, their sha256 in `hints/<id>.<lang>.toml`. Like
`grader.course_texts`, this never imports the catalog, so the tutor can use it at start-up.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Iterable
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Protocol

from grader.course_texts import ENGLISH, course_ids, course_table, text_file
from grader.i18n import LANGUAGES, ngettext

__all__ = [
    "BACKUP_DIR",
    "stub_digest",
    "stub_language",
    "stub_problems",
    "stub_text",
    "swap_notice",
    "swap_untouched_stubs",
]

# Where the tutor keeps a stub it replaced, so switching back needs no network and no git.
BACKUP_DIR = Path(".descent", "stubs")


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


@functools.cache  # read for every file graded: parsing the TOML each time cost ~10 ms/submission
def stub_digest(exercise_id: str, lang: str) -> str | None:
    """The sha256 of the untouched stub in `lang`, as the course texts record it."""
    table = course_table(exercise_id, lang) or {}
    digest = table.get("stub_sha256")
    return digest if isinstance(digest, str) and digest else None


def stub_language(exercise_id: str, source: str) -> str | None:
    """The language whose untouched stub `source` is, byte for byte (LF or CRLF line ends);
    None when the student has changed it (or it is no stub at all)."""
    digest = _sha256(source.replace("\r\n", "\n"))
    # English first: a translation that still records the English digest is no other stub.
    for lang in (ENGLISH, *(code for code in LANGUAGES if code != ENGLISH)):
        if stub_digest(exercise_id, lang) == digest:
            return lang
    return None


def stub_text(exercise: str | _HasId, lang: str, course: Path | None = None) -> str | None:
    """The untouched stub of `exercise` in `lang`, or None where the course has none.

    Translations come from the package data. English is the course's own
    `exercises/<id>.py` (or the copy the tutor kept under `.descent/stubs/en/`) and so needs
    `course`; either is used only while its digest still matches the course texts.
    """
    exercise_id = exercise if isinstance(exercise, str) else exercise.id
    wanted = stub_digest(exercise_id, lang)
    if wanted is None:
        return None
    candidates: list[Path | Traversable] = []
    if lang == ENGLISH and course is not None:
        candidates += [course / "exercises" / f"{exercise_id}.py",
                       course / BACKUP_DIR / lang / f"{exercise_id}.py"]
    elif lang != ENGLISH:
        candidates.append(_packaged(exercise_id, lang))
    for candidate in candidates:
        try:
            text = candidate.read_bytes().decode("utf-8").replace("\r\n", "\n")
        except (OSError, UnicodeDecodeError):
            continue
        if _sha256(text) == wanted:
            return text
    return None


def swap_untouched_stubs(course: Path, exercise_ids: Iterable[str], lang: str) -> list[str]:
    """Give every exercise file that is an untouched stub in another language the stub in
    `lang`; returns the file names replaced (`exercises/01_quadratic.py`, …).

    Nothing is lost: only a file byte for byte equal to a shipped stub is replaced, and that
    stub is kept under `.descent/stubs/<its lang>/` for switching back. A file that cannot
    be read or written is left as it is.
    """
    replaced: list[str] = []
    for exercise_id in exercise_ids:
        path = course / "exercises" / f"{exercise_id}.py"
        try:
            source = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        current = stub_language(exercise_id, source)
        if current is None or current == lang:
            continue
        wanted = stub_text(exercise_id, lang, course)
        if wanted is None:
            continue
        try:
            _write(course / BACKUP_DIR / current / path.name, source)
            _write(path, wanted.replace("\n", "\r\n") if "\r\n" in source else wanted)
        except OSError:
            continue
        replaced.append(f"exercises/{path.name}")
    return replaced


def swap_notice(course: Path, exercise_ids: Iterable[str], lang: str) -> str | None:
    """Swap untouched stubs into `lang` (see `swap_untouched_stubs`) and say which, or None."""
    replaced = swap_untouched_stubs(course, exercise_ids, lang)
    if not replaced:
        return None
    message = ngettext(
        "{files} was still the untouched stub in another language: it now holds the stub in "
        "this language (nothing is lost; the old one is kept in .descent/stubs/).",
        "{files} were still the untouched stubs in another language: they now hold the stubs "
        "in this language (nothing is lost; the old ones are kept in .descent/stubs/).",
        len(replaced))
    return message.format(files=", ".join(replaced))


def stub_problems(course: Path | None = None) -> list[str]:
    """Translated stubs that are missing or whose recorded sha256 is stale, for
    `descent dev check` (English stubs are checked against `exercises/` there already)."""
    problems: list[str] = []
    for exercise_id in course_ids():
        for lang in LANGUAGES:
            if lang == ENGLISH or course_table(exercise_id, lang) is None:
                continue  # a missing text file is reported by missing_translations
            packaged = _packaged(exercise_id, lang)
            name = f"grader/course/stubs/{lang}/{exercise_id}.py"
            if not packaged.is_file():
                problems.append(f"{name} is missing")
                continue
            digest = _sha256(packaged.read_bytes().decode("utf-8"))
            if stub_digest(exercise_id, lang) != digest:
                problems.append(f"{name} is not the stub the course texts know: set "
                                f'stub_sha256 = "{digest}" in grader/course/hints/'
                                f"{text_file(exercise_id, lang)}")
    return problems


def _packaged(exercise_id: str, lang: str) -> Traversable:
    return resources.files("grader").joinpath("course", "stubs", lang, f"{exercise_id}.py")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _write(path: Path, text: str) -> None:
    """Write `text` whole or not at all (an editor may be reading the file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.descent-tmp")
    partial.write_bytes(text.encode("utf-8"))
    os.replace(partial, path)
