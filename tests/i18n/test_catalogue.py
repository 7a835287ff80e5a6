"""The Dutch catalogues are complete: every marked string has a Dutch translation.

Two catalogues: django.po (templates and Python) and djangojs.po (our scripts in static/js,
served by Django's JavaScript catalogue at /jsi18n/). Each is checked the same way.
"""

import re
from pathlib import Path

import pytest

from tests.i18n.po import read_po

CATALOGUES = sorted((Path(__file__).resolve().parents[2] / "locale/nl/LC_MESSAGES").glob("*.po"))
# printf style (%(name)s, %(days)d, %s) and str.format style ({name}, {hours:g}): a service's
# message constants are formatted with .format(), so their placeholders must survive too.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%s|%d|\{\w+(?::[^{}]*)?\}")
# The least a complete catalogue holds: the interface (hundreds) and the scripts (a few).
MINIMUM_ENTRIES = {"django.po": 500, "djangojs.po": 4}


def test_there_is_a_dutch_catalogue() -> None:
    assert [path.name for path in CATALOGUES] == ["django.po", "djangojs.po"]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.name)
def test_every_entry_is_translated_and_none_is_fuzzy(path: Path) -> None:
    entries = [entry for entry in read_po(path) if entry.msgid and not entry.obsolete]
    assert len(entries) >= MINIMUM_ENTRIES[path.name]
    untranslated = [entry.msgid for entry in entries if not entry.translated]
    fuzzy = [entry.msgid for entry in entries if "fuzzy" in entry.flags]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.name)
def test_translations_keep_their_placeholders(path: Path) -> None:
    wrong = []
    for entry in read_po(path):
        if not entry.msgid:
            continue
        for index, text in entry.msgstr.items():
            source = entry.msgid_plural if index and entry.msgid_plural else entry.msgid
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source)):
                wrong.append(entry.msgid)
    assert wrong == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.name)
def test_the_header_is_not_fuzzy_and_names_dutch_plurals(path: Path) -> None:
    header = next(entry for entry in read_po(path) if entry.msgid == "")
    assert "fuzzy" not in header.flags
    assert "Language: nl\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr[0]


def test_the_reader_sees_fuzzy_and_empty_entries(tmp_path: Path) -> None:
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr "Language: nl\\n"\n\n#, fuzzy, python-format\nmsgid "My day"\n'
        'msgstr "Mijn dag"\n\nmsgid "One"\nmsgid_plural "Many"\nmsgstr[0] "Een"\nmsgstr[1] ""\n',
        encoding="utf-8",
    )
    header, fuzzy, plural = read_po(po)
    assert header.msgstr == {0: "Language: nl\n"}
    assert fuzzy.flags == {"fuzzy", "python-format"}
    assert fuzzy.translated
    assert plural.msgid_plural == "Many"
    assert not plural.translated
