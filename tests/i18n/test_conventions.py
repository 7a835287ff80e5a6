"""Dutch and British conventions: dates, times, money, figures and CSV in each language."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from buurtzorg.csvsafe import BOM, reader_csv_bytes
from buurtzorg.formats.en import formats as en_formats
from buurtzorg.formats.nl import formats as nl_formats
from buurtzorg.l10n import format_number, reader_language
from buurtzorg.money import format_money

DAY = dt.date(2026, 12, 2)
MOMENT = dt.datetime(2026, 12, 2, 14, 30, 5)  # naive: formatting only


def render(source: str, language: str, **context: object) -> str:
    with translation.override(language):
        return Template(source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "fmt", "expected"),
    [
        ("nl", "DATE_FORMAT", "2 dec. 2026"),
        ("nl", "SHORT_DATE_FORMAT", "02-12-2026"),
        ("nl", "DATETIME_FORMAT", "2 dec. 2026 14:30"),
        ("nl", "SHORT_DATETIME_FORMAT", "02-12-2026 14:30"),
        ("nl", "YEAR_MONTH_FORMAT", "december 2026"),
        ("nl", "WEEKDAY_DAY_MONTH_FORMAT", "wo 2 dec."),
        ("nl", "WEEKDAY_DATE_FORMAT", "woensdag 2 december"),
        ("nl", "SHORT_DATETIME_SECONDS_FORMAT", "02-12-2026 14:30:05"),
        ("en", "DATE_FORMAT", "2 Dec 2026"),
        ("en", "SHORT_DATE_FORMAT", "02-12-2026"),
        ("en", "DATETIME_FORMAT", "2 Dec 2026 14:30"),
        ("en", "YEAR_MONTH_FORMAT", "December 2026"),
        ("en", "WEEKDAY_DAY_MONTH_FORMAT", "Wed 2 Dec"),
        ("en", "WEEKDAY_DATE_FORMAT", "Wednesday 2 December"),
    ],
)
def test_named_date_formats_follow_the_language(language: str, fmt: str, expected: str) -> None:
    assert render('{{ when|date:"' + fmt + '" }}', language, when=MOMENT) == expected


def test_times_are_24_hour_in_both_languages() -> None:
    evening = dt.time(21, 5)
    assert render('{{ t|time:"TIME_FORMAT" }}', "nl", t=evening) == "21:05"
    assert render('{{ t|time:"TIME_FORMAT" }}', "en", t=evening) == "21:05"
    assert render("{{ t }}", "en", t=evening) == "21:05"


@pytest.mark.parametrize(
    ("month", "dutch"),
    [(3, "2 mrt. 2026"), (5, "2 mei 2026"), (9, "2 sep. 2026"), (10, "2 okt. 2026")],
)
def test_dutch_abbreviated_months_take_a_full_stop_except_may(month: int, dutch: str) -> None:
    # Our catalogue overrides Django's "abbrev. month" translations ("mrt" without a stop).
    day = dt.date(2026, month, 2)
    with translation.override("nl"):
        assert formats.date_format(day) == dutch
    with translation.override("en"):
        assert "." not in formats.date_format(day)  # British: 2 Sept -> "2 Sep 2026"


def test_both_languages_define_every_named_format() -> None:
    def names(module: object) -> set[str]:
        return {n for n in dir(module) if n.endswith("_FORMAT") or n.endswith("_SEPARATOR")}

    assert names(nl_formats) == names(en_formats)


@pytest.mark.parametrize(
    ("amount", "language", "expected"),
    [
        (Decimal("1234.56"), "nl", "€\u00a01.234,56"),
        (Decimal("1234.56"), "en", "€1,234.56"),
        (Decimal("8584.555"), "nl", "€\u00a08.584,56"),  # half up to cents
        (Decimal("-78.35"), "nl", "€\u00a0-78,35"),
        (Decimal("-78.35"), "en", "-€78.35"),
        (Decimal("1234567"), "en", "€1,234,567.00"),
        (0, "nl", "€\u00a00,00"),
        (None, "nl", ""),
    ],
)
def test_money_in_each_language(amount: Decimal | None, language: str, expected: str) -> None:
    assert format_money(amount, language) == expected


def test_money_filter_uses_the_active_language() -> None:
    source = "{% load money %}{{ amount|money }}"
    assert render(source, "nl", amount=Decimal("8584.56")) == "€\u00a08.584,56"
    assert render(source, "en", amount=Decimal("8584.56")) == "€8,584.56"


def test_money_refuses_what_is_not_an_amount() -> None:
    with pytest.raises(ValueError, match="Not an amount: 'twelve'"):
        format_money("twelve", "nl")


def test_figures_take_a_decimal_comma_in_dutch() -> None:
    with translation.override("nl"):
        assert format_number(2.5) == "2,5"
        assert format_number(Decimal("3.25"), 1) == "3,2"
        assert render("{{ x }}", "nl", x=2.5) == "2,5"
    with translation.override("en"):
        assert format_number(2.5) == "2.5"


def test_dutch_csv_opens_in_columns_with_a_decimal_comma() -> None:
    rows = [["cliënt", "uren", "bedrag"], ["de Jong", 2.5, Decimal("-78.35")], ["=1+1", 3, ""]]
    data = reader_csv_bytes(rows, language="nl")
    text = data.decode("utf-8")
    assert text.startswith(BOM)  # Excel reads UTF-8 ("cliënt")
    parsed = list(csv.reader(io.StringIO(text.removeprefix(BOM)), delimiter=";"))
    assert parsed == [
        ["cliënt", "uren", "bedrag"],
        ["de Jong", "2,5", "-78,35"],
        ["'=1+1", "3", ""],
    ]


def test_english_csv_uses_commas_and_a_decimal_point() -> None:
    text = reader_csv_bytes([["hours"], [2.5]], language="en").decode("utf-8")
    assert text.startswith(BOM)
    assert list(csv.reader(io.StringIO(text.removeprefix(BOM)))) == [["hours"], ["2.5"]]


def test_a_semicolon_in_text_stays_in_its_cell_in_dutch() -> None:
    text = reader_csv_bytes([["Jansen; de Vries", 1]], language="nl").decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text), delimiter=";")) == [["Jansen; de Vries", "1"]]


class _Reader:
    def __init__(self, language: str) -> None:
        self.language = language


def test_reader_language_prefers_her_choice_then_the_active_language() -> None:
    with translation.override("en"):
        assert reader_language(_Reader("nl")) == "nl"
        assert reader_language(_Reader("")) == "en"
        assert reader_language(None) == "en"
    with translation.override("nl"):
        assert reader_language(_Reader("")) == "nl"
