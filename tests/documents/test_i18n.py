"""Every printed word has both languages; a missing one is a coded problem, never a fallback."""

from __future__ import annotations

import re

import pytest

from configurator.documents.i18n import (
    LANGS,
    TEXTS,
    TranslationError,
    audit_translations,
    number,
    text,
)
from configurator.inputs.catalog import DEFAULT_CATALOG, load_catalog
from configurator.model.schema import Names
from tests.common import REPO

PACKAGE = REPO / "configurator"
"""The package's source, scanned for the labels it asks for."""


def test_the_catalog_and_the_table_are_complete_in_both_languages() -> None:
    assert audit_translations(load_catalog(DEFAULT_CATALOG)) == []


def test_a_blank_catalog_name_is_a_t102_problem() -> None:
    catalog = load_catalog(DEFAULT_CATALOG)
    first = catalog.space_types[0]
    blank = first.model_copy(update={"names": Names(fi=first.names.fi, en=" ")})
    broken = catalog.model_copy(update={"space_types": [blank, *catalog.space_types[1:]]})
    problems = audit_translations(broken)
    assert [p.code for p in problems] == ["T102"]
    assert problems[0].path == "space_types[0].names"


def test_a_table_entry_missing_a_language_is_a_t101_problem() -> None:
    table = {"ok": {"fi": "hyvä", "en": "good"}, "half": {"fi": "vain suomeksi"}}
    problems = audit_translations(load_catalog(DEFAULT_CATALOG), table=table)
    assert [(p.code, p.path) for p in problems] == [("T101", "half")]


def test_a_missing_text_raises_instead_of_falling_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(TEXTS, "purpose", {"fi": "Käyttötarkoitus", "en": ""})
    assert text("purpose", "fi") == "Käyttötarkoitus"
    with pytest.raises(TranslationError) as caught:
        text("purpose", "en")
    assert caught.value.problem.code == "T101"
    with pytest.raises(TranslationError):
        text("no such key", "fi")


def test_every_label_the_templates_and_modules_ask_for_is_in_the_table() -> None:
    asked = set()
    templates = sorted((PACKAGE / "documents" / "templates").glob("*.html"))
    assert len(templates) >= 4, "the scan reads the booklet, card, head and report templates"
    for path in templates:
        asked |= set(re.findall(r"t\(['\"]([\w.]+)['\"]", path.read_text(encoding="utf-8")))
    modules = ("cards.py", "booklet.py", "report.py")
    for path in [PACKAGE / "documents" / m for m in modules] + [REPO / "ui" / "figures.py"]:
        source = path.read_text(encoding="utf-8")
        asked |= set(re.findall(r"text\(\s*['\"]([\w.]+)['\"]", source))
    assert asked, "the scan finds the labels"
    missing = sorted(key for key in asked if key not in TEXTS)
    assert missing == []
    for key in asked:
        for lang in LANGS:
            assert TEXTS[key][lang].strip(), (key, lang)


def test_numbers_print_as_each_language_writes_them() -> None:
    assert number(1234.5, "fi") == "1\u202f234,5"
    assert number(1234.5, "en") == "1\u202f234.5"
    assert number(0.25, "fi", 2) == "0,25"
