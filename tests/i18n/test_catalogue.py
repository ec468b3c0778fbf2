"""The gettext catalogue: every message of the code translated into Chinese with the same
format fields, the committed .mo compiled from the .po, the glossary's terms kept."""

from __future__ import annotations

import gettext
import re
import tomllib
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from grader.i18n import DOMAIN
from grader.release.catalogue import (
    LOCALE_DIR,
    catalogue_problems,
    compiled_mo,
    format_fields,
    po_path,
)
from grader.release.devcheck import translation_findings

GLOSSARY = tomllib.loads((LOCALE_DIR / "glossary.toml").read_text(encoding="utf-8"))["term"]


def _catalogue() -> list[tuple[str, str]]:
    """(English, Chinese) for every message form of the zh catalogue."""
    with po_path("zh").open("rb") as handle:
        catalog = read_po(handle)
    pairs = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        pairs += [(ids[-1], text) for text in strings]
    return pairs


def test_every_message_in_the_code_has_a_chinese_translation_with_the_same_fields():
    assert catalogue_problems("zh") == []


def test_dev_check_reports_the_catalogue_and_course_texts_as_findings():
    findings = translation_findings()
    assert [f.ok for f in findings] == [True, True], [f.problems[:5] for f in findings]


def test_the_committed_mo_is_the_compiled_po():
    # The .mo is committed so a fresh clone and the wheel work without Babel; `make
    # messages` rewrites it, and this fails when the .po was edited without it.
    committed = po_path("zh").with_suffix(".mo").read_bytes()
    assert committed == compiled_mo("zh")
    with po_path("zh").with_suffix(".mo").open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    assert translations.info()["plural-forms"] == "nplurals=1; plural=0;"


def test_the_mo_is_where_gettext_looks_for_it():
    found = gettext.find(DOMAIN, str(LOCALE_DIR), languages=["zh"])
    assert found is not None and Path(found) == po_path("zh").with_suffix(".mo")


def test_format_fields_name_brace_and_percent_fields():
    assert format_fields("{count} of {total:g} {name!r}, {{literal}}") == (
        "count", "name", "total")
    assert format_fields("%(prog)s: error: %(message)s %d") == ("%(message)", "%(prog)", "%d")
    assert format_fields("50% of submissions") == ()
    assert format_fields("{unclosed") == ()


_PO = '''\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"

msgid "{count} of {total} passed"
msgstr "{count} 个通过"

msgid "Score {score:g}"
msgstr "得分 {score:g}"

msgid "untranslated {x}"
msgstr ""

#, fuzzy
msgid "fuzzy {y}"
msgstr "模糊 {y}"

msgid "positional {}"
msgstr "位置 {}"

msgid "%(prog)s: error"
msgstr "%(program)s：错误"

msgid "{count} tier"
msgid_plural "{count} tiers"
msgstr[0] "共 {count} 级"

msgid "one file"
msgid_plural "{count} files"
msgstr[0] "一个文件"
'''


def test_the_check_names_missing_translations_and_differing_fields(tmp_path: Path):
    po = tmp_path / "descent.po"
    po.write_text(_PO, encoding="utf-8")
    problems = "\n".join(catalogue_problems("zh", po))
    assert "'{count} of {total} passed': the zh format fields ['count']" in problems
    assert "'untranslated {x}' has no zh translation" in problems
    assert "'fuzzy {y}' has no zh translation" in problems
    assert "'positional {}' has a positional {} field" in problems
    assert "'%(prog)s: error': the zh format fields ['%(program)']" in problems
    # One plural form in Chinese: it says what the English plural says.
    assert "'one file': the zh format fields [] differ from the English ['count']" in problems
    assert "Score" not in problems and "tier" not in problems
    assert len(problems.splitlines()) == 6


@pytest.mark.parametrize("term", GLOSSARY, ids=lambda term: term["zh"])
def test_program_messages_use_the_glossary_terms(term: dict[str, object]):
    """A message that says the English term says the glossary's Chinese (or keeps the
    English word itself, as a name: autograd, Derivative); none uses a rendering to avoid."""
    patterns = [re.compile(rf"\b{pattern}(?:s|es)?\b", re.IGNORECASE) for pattern in term["en"]]
    wrong = []
    for english, chinese in _catalogue():
        avoided = [word for word in term["avoid"] if word in chinese]
        found = [m.group(0) for p in patterns for m in p.finditer(english)]
        missing = found and term["zh"] not in chinese and not any(
            word.lower() in chinese.lower() for word in found)
        if avoided or missing:
            wrong.append((english[:60], chinese[:60], avoided))
    assert not wrong, f"{term['zh']}: {wrong}"
