"""The message catalogue: extract `_()`/`N_()`/`ngettext` strings (Babel), update, compile, and
check every translation for completeness and matching format fields.

Run as `python -m grader.release.catalogue` (`make messages`). Babel is a dev dependency:
descent itself reads only the compiled `.mo` through the standard library's gettext.
"""

from __future__ import annotations

import io
import re
import string
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from grader.i18n import DOMAIN, LANGUAGES, _

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

__all__ = [
    "KEYWORDS",
    "LOCALE_DIR",
    "SOURCES",
    "catalogue_problems",
    "compiled_mo",
    "format_fields",
    "po_path",
    "update",
]

ROOT = Path(__file__).resolve().parents[2]
LOCALE_DIR = ROOT / "grader" / "locale"
SOURCES = ("grader", "tui")
# _("…"), N_("…") (marked at import time, translated when shown), ngettext(one, many, n).
KEYWORDS: dict[str, tuple[int, ...] | None] = {"_": None, "N_": None, "ngettext": (1, 2)}
_HEADER = ("# Program messages of descent, {lang}. Edit translations with any PO editor; the\n"
           "# msgids come from the code (`make messages` extracts, merges and compiles).")
# No space flag: "% of submissions" is prose, not a conversion.
_PERCENT = re.compile(r"%(?:\((\w+)\))?[-#0+]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]")


def po_path(lang: str) -> Path:
    """grader/locale/<lang>/LC_MESSAGES/descent.po."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def format_fields(text: str) -> tuple[str, ...]:
    """The sorted format fields of `text`: `{name}` names and `%(name)s`/`%s` specifiers;
    a text whose braces do not parse gives its `{…}` substrings, so they must match too."""
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError:
        names = re.findall(r"\{[^{}]*\}", text)
    percent = [f"%({match.group(1)})" if match.group(1) else match.group(0)
               for match in _PERCENT.finditer(text)]
    return tuple(sorted(names + percent))


def catalogue_problems(lang: str = "zh", po: Path | None = None) -> list[str]:
    """Every message of the code missing from the catalogue, every msgid without a `lang`
    translation, and every translation whose format fields differ from the English
    (positional `{}` fields count as problems too). `po`: check that file instead of the
    catalogue of `lang` (its messages are then not compared with the code)."""
    try:
        from babel.messages.pofile import read_po
    except ImportError:
        return [_("Babel is not installed, so the catalogue cannot be read: install the dev "
                  "extras (`pip install -e '.[dev]'`)")]
    path = po or po_path(lang)
    if not path.is_file():
        return [_("{path} is missing: run `make messages`").format(path=_shown(path))]
    with path.open("rb") as handle:
        catalog = read_po(handle)
    # The code is compared with the project's own catalogue only, not with another file.
    code = _extract(ROOT) if po is None else ()
    problems = [_("{message!r} is in the code but not in the catalogue: run `make messages` "
                  "and translate it").format(message=_cut(message.id))
                for message in code if message.id and message.id not in catalog]
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strs = message.string if isinstance(message.string, tuple) else (message.string,)
        shown = _cut(message.id)
        if "" in (field for text in ids for field in format_fields(text)):
            problems.append(_("{message!r} has a positional {{}} field: name it").format(
                message=shown))
        if message.fuzzy or not all(strs):
            problems.append(_("{message!r} has no {lang} translation").format(
                message=shown, lang=lang))
            continue
        problems += [_("{message!r}: the {lang} format fields {theirs} differ from the "
                       "English {ours}").format(message=shown, lang=lang,
                                                theirs=list(format_fields(text)),
                                                ours=list(_wanted(ids, index, len(strs))))
                     for index, text in enumerate(strs)
                     if format_fields(text) != _wanted(ids, index, len(strs))]
    return problems


def compiled_mo(lang: str = "zh") -> bytes:
    """The `.mo` bytes the `.po` of `lang` compiles to (fuzzy entries left out)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path(lang).open("rb") as handle:
        catalog = read_po(handle)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def update(root: Path = ROOT) -> dict[str, int]:
    """Extract the template, merge it into every language's `.po` (taking translations for
    new msgids from any other `.po` fragment beside it), compile the `.mo`s; returns the
    count of untranslated msgids per language."""
    from babel.messages.pofile import read_po

    template = _extract(root)
    _write_po(LOCALE_DIR / f"{DOMAIN}.pot", template)
    untranslated: dict[str, int] = {}
    for lang in (code for code in LANGUAGES if code != "en"):
        path = po_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_file():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=lang)
        else:
            from babel.messages.catalog import Catalog

            catalog = Catalog(locale=lang, domain=DOMAIN, project="descent", fuzzy=False,
                              header_comment=_HEADER.format(lang=lang))
        catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
        _fill_from(catalog, sorted((LOCALE_DIR / lang).glob("*.po")))
        catalog.obsolete.clear()  # a msgid gone from the code is gone from the catalogue
        _write_po(path, catalog)
        mo = compiled_mo(lang)
        if not path.with_suffix(".mo").is_file() or path.with_suffix(".mo").read_bytes() != mo:
            path.with_suffix(".mo").write_bytes(mo)
        untranslated[lang] = sum(1 for m in catalog if m.id and not _translated(m.string))
    return untranslated


def _write_po(path: Path, catalog: Catalog) -> None:
    """Write `catalog` to `path` unless only its dates would change (no churn in commits)."""
    from babel.messages.pofile import write_po

    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_by_file=True, include_lineno=False)

    def dateless(data: bytes) -> list[bytes]:
        return [line for line in data.splitlines()
                if not line.startswith((b'"POT-Creation-Date:', b'"PO-Revision-Date:'))]

    if not path.is_file() or dateless(path.read_bytes()) != dateless(out.getvalue()):
        path.write_bytes(out.getvalue())


def _extract(root: Path) -> Catalog:
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    template = Catalog(domain=DOMAIN, project="descent", fuzzy=False, charset="utf-8",
                       header_comment=_HEADER.format(lang="every language"))
    for source in SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
                root / source, method_map=[("**.py", "python")], keywords=KEYWORDS,
                comment_tags=("Translators:",), strip_comment_tags=True):
            template.add(message, None, [(f"{source}/{filename}", lineno)],
                         auto_comments=comments, context=context)
    return template


def _fill_from(catalog: Catalog, fragments: Iterable[Path]) -> None:
    """Untranslated msgids take the translation a fragment (a second `.po` someone wrote
    beside the catalogue, e.g. from a translator working apart) gives them."""
    from babel.messages.pofile import read_po

    for fragment in fragments:
        if fragment.name == f"{DOMAIN}.po":
            continue
        with fragment.open("rb") as handle:
            known = read_po(handle)
        for message in catalog:
            if message.id and not _translated(message.string):
                found = known.get(message.id)
                if found is not None and _translated(found.string):
                    message.string = found.string


def _cut(msgid: str | tuple[str, ...]) -> str:
    text = msgid[0] if isinstance(msgid, tuple) else msgid
    return text if len(text) <= 60 else text[:57] + "…"


def _translated(value: str | tuple[str, ...]) -> bool:
    return all(value) if isinstance(value, tuple) else bool(value)


def _wanted(ids: tuple[str, ...], index: int, forms: int) -> tuple[str, ...]:
    # A language with one plural form says the plural's fields; with several, form 0 is
    # the singular and the rest the plural.
    return format_fields(ids[0] if forms > 1 and index == 0 else ids[-1])


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    counts = update()
    for code, missing in counts.items():
        print(f"{po_path(code).relative_to(ROOT)}: {missing} msgids to translate")
    sys.exit(0)
