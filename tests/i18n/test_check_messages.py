"""`make lint`'s translation check (.ci/check_messages.py): a marked string missing from the
catalogue, an entry the code no longer has, a fuzzy or an empty translation each fail it; a
catalogue that matches, wrapped differently and with other locations, passes."""

import importlib.util
from pathlib import Path

from tests.conftest import ROOT

_spec = importlib.util.spec_from_file_location("check_messages", ROOT / ".ci/check_messages.py")
assert _spec is not None
assert _spec.loader is not None
check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check)

HEADER = 'msgid ""\nmsgstr ""\n"Language: nl\\n"\n\n'
COMMITTED = (
    HEADER
    + '#: clients/views.py\nmsgid "Clients"\nmsgstr "Cliënten"\n\n'
    + '#: teams/views.py\nmsgctxt "tab"\nmsgid "Team"\nmsgstr "Team"\n\n'
    + '#: teams/views.py\nmsgid "%(n)s nurse"\nmsgid_plural "%(n)s nurses"\n'
    + 'msgstr[0] "%(n)s verpleegkundige"\nmsgstr[1] "%(n)s verpleegkundigen"\n\n'
    + '#~ msgid "Gone long ago"\n#~ msgstr "Allang weg"\n'
)


def _problems(committed: str, extracted: str) -> list[str]:
    return check.problems(committed, extracted, "django.po")


def test_a_catalogue_that_matches_passes_whatever_its_wrapping_and_locations() -> None:
    extracted = (
        HEADER
        + '#: clients/other.py templates/x.html\nmsgid ""\n"Clients"\nmsgstr ""\n\n'
        + 'msgctxt "tab"\nmsgid "Team"\nmsgstr "Team"\n\n'
        + 'msgid "%(n)s nurse"\nmsgid_plural "%(n)s nurses"\nmsgstr[0] ""\nmsgstr[1] ""\n'
    )
    assert _problems(COMMITTED, extracted) == []


def test_a_marked_string_missing_from_the_catalogue_fails() -> None:
    extracted = COMMITTED + '\nmsgid "Make a new address"\nmsgstr ""\n'
    assert _problems(COMMITTED, extracted) == [
        'django.po: not in the catalogue: "Make a new address"'
    ]


def test_a_string_in_another_context_is_another_entry() -> None:
    extracted = COMMITTED.replace('msgctxt "tab"', 'msgctxt "menu"')
    assert sorted(_problems(COMMITTED, extracted)) == [
        "django.po: not in the catalogue: \"Team\" (context 'menu')",
        "django.po:9: no longer in the code: \"Team\" (context 'tab')",
    ]


def test_fuzzy_and_empty_translations_fail() -> None:
    fuzzy = '#, fuzzy, python-format\nmsgid "Clients"\nmsgstr "Cliënt"'
    committed = COMMITTED.replace('msgid "Clients"\nmsgstr "Cliënten"', fuzzy)
    committed = committed.replace('msgstr[1] "%(n)s verpleegkundigen"', 'msgstr[1] ""')
    assert _problems(committed, committed) == [
        'django.po:5: fuzzy: "Clients"',
        'django.po:15: no Dutch text: "%(n)s nurse" / "%(n)s nurses"',
    ]


def test_the_committed_catalogues_parse() -> None:
    catalogues = Path(ROOT) / "locale" / "nl" / "LC_MESSAGES"
    assert len(check.parse_po((catalogues / "django.po").read_text(encoding="utf-8"))) > 1000
    assert check.parse_po((catalogues / "djangojs.po").read_text(encoding="utf-8"))
