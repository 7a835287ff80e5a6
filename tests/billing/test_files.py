"""The three billing files on plain data: they agree with each other and a hand computation."""

import csv
import dataclasses
import datetime as dt
import io
import os
from decimal import Decimal
from pathlib import Path

import pytest

from scheduling.billing.declaration import (
    DeclarationLine,
    InsuredPerson,
    InsurerInvoice,
    LineKind,
    line_amount,
    minutes_to_units,
)
from scheduling.billing.exporters import (
    DeclarationExporter,
    DutchDistrictNursingExporter,
    FieldOverflow,
    exporter_codes,
    get_exporter,
    register,
)
from scheduling.billing.files import (
    APPENDIX_COLUMNS,
    APPENDIX_MAX_LINES,
    APPENDIX_ROWS_PER_PAGE,
    RefusedURL,
    invoice_csv_bytes,
    invoice_pdf_bytes,
    invoice_pdf_context,
    invoice_pdf_html,
    local_url_fetcher,
)
from scheduling.billing.vektis.layout import AW319, field
from scheduling.billing.vektis.records import AW319_VALIDATOR, DeclarationInvalid


@pytest.mark.parametrize(
    ("minutes", "units"),
    [(0, 0), (1, 0), (2, 0), (3, 1), (5, 1), (7, 1), (8, 2), (62, 12), (63, 13), (-5, 0)],
)
def test_minutes_round_to_the_nearest_five_minute_unit(minutes: int, units: int) -> None:
    assert minutes_to_units(minutes) == units


def test_line_amount_is_half_up_to_cents() -> None:
    # 13 units = 65 min at 78.35/h = 84.879166... -> 84.88
    assert line_amount(units=13, hourly_rate=Decimal("78.35")) == Decimal("84.88")
    # 1 unit at 0.06/h = 0.005 -> half up -> 0.01
    assert line_amount(units=1, hourly_rate=Decimal("0.06")) == Decimal("0.01")


GOLDEN = Path(__file__).parent / "golden" / "aw319-small-month.txt"
UPDATE_GOLDEN = os.environ.get("UPDATE_GOLDEN") == "1"


def hand_computed_invoice() -> InsurerInvoice:
    """Two clients, one line per client, service and DAY of care; the second client has a
    correction of a day in an earlier month: a credit of what was billed for that day, then
    the day billed again.

    By hand (tariffs: V1 = 78.35/h, P1 = 60.00/h):
      Anna  P1  2026-03-03   93 min -> 19 units ->  95 min * 60.00 / 60 =  95.00
      Anna  V1  2026-03-03   60 min -> 12 units ->  60 min * 78.35 / 60 =  78.35
      Anna  V1  2026-03-10   67 min -> 13 units ->  65 min * 78.35 / 60 =  84.879.. -> 84.88
      Bram  V1  2026-02-11 credit  -60 min -> -12 units -> -78.35
      Bram  V1  2026-02-11 debit    44 min ->   9 units ->  45 * 78.35 / 60 = 58.7625 -> 58.76
      Bram  V1  2026-03-05   31 min ->  6 units ->  30 * 78.35 / 60 = 39.175 -> 39.18
    debit = 95.00 + 78.35 + 84.88 + 58.76 + 39.18 = 356.17; credit = -78.35; total = 277.82
    """
    v1, p1 = Decimal("78.35"), Decimal("60.00")

    def line(n, ref, bsn, name, code, day, minutes, rate, kind=LineKind.DEBIT):
        units = minutes_to_units(abs(minutes)) * (-1 if kind == LineKind.CREDIT else 1)
        amount = line_amount(units=abs(units), hourly_rate=rate) * (1 if units >= 0 else -1)
        return DeclarationLine(
            line_number=n,
            client_ref=ref,
            bsn=bsn,
            policy_number=f"POL-{bsn[-3:]}",
            date_of_birth=dt.date(1940, 5, 17),
            client_name=name,
            service_code=code,
            service_name={"V1": "Nursing", "P1": "Personal care"}[code],
            period=day.replace(day=1),
            service_date=day,
            minutes=minutes,
            units=units,
            hourly_rate=rate,
            amount=amount,
            kind=kind,
            visit_count=1,
            reference=f"ref-{n}",
            reverses="ref-old" if kind == LineKind.CREDIT else "",
        )

    def march(day):
        return dt.date(2026, 3, day)

    feb_11 = dt.date(2026, 2, 11)
    return InsurerInvoice(
        organisation_name="Buurtzorg test",
        sender_agb="12345678",
        insurer_name="Zorgverzekeraar Één",
        uzovi="3311",
        period=march(1),
        invoice_number="202603-3311",
        invoice_date=dt.date(2026, 4, 1),
        lines=[
            line(1, "a", "111222333", "Jansen A.", "P1", march(3), 93, p1),
            line(2, "a", "111222333", "Jansen A.", "V1", march(3), 60, v1),
            line(3, "a", "111222333", "Jansen A.", "V1", march(10), 67, v1),
            line(4, "b", "999888777", "Bakker B.", "V1", feb_11, -60, v1, LineKind.CREDIT),
            line(5, "b", "999888777", "Bakker B.", "V1", feb_11, 44, v1),
            line(6, "b", "999888777", "Bakker B.", "V1", march(5), 31, v1),
        ],
        insured={
            "a": InsuredPerson("Jansen", "", "A.", "2", "1234AB", 12, "a"),
            "b": InsuredPerson("Bakker", "de", "B.J.", "1", "9876ZX", 3),
        },
    )


def test_hand_computed_totals() -> None:
    invoice = hand_computed_invoice()
    assert [ln.amount for ln in invoice.lines] == [
        Decimal("95.00"),
        Decimal("78.35"),
        Decimal("84.88"),
        Decimal("-78.35"),
        Decimal("58.76"),
        Decimal("39.18"),
    ]
    assert invoice.total_debit == Decimal("356.17")
    assert invoice.total_credit == Decimal("-78.35")
    assert invoice.total == Decimal("277.82")


def _at(record: str, name: str) -> str:
    return record[field(AW319, record[:2], name).slice]


def test_declaration_file_adds_up_and_matches_the_hand_computation() -> None:
    # given
    invoice = hand_computed_invoice()
    exporter = get_exporter("nl-wv")
    # when
    data = exporter.render(invoice)
    # then: structure, every record 310 positions
    records = data.decode("iso-8859-1").split("\r\n")[:-1]
    assert [r[:2] for r in records] == ["01", "02", "04", "04", "04", "02", "04", "04", "04", "99"]
    assert all(len(r) == 310 for r in records)
    lead = records[0]
    assert _at(lead, "institution_agb") == "12345678"
    assert _at(lead, "uzovi") == "3311"
    assert (_at(lead, "period_start"), _at(lead, "period_end")) == ("20260301", "20260331")
    assert _at(lead, "invoice_date") == "20260401"
    assert _at(lead, "currency") == "EUR"
    # COD002 428: declaration of district nursing (wijkverpleging), AW319 version 1.4
    assert (lead[2:5], lead[5:7], lead[7:9]) == ("428", "01", "04")
    # the insured record: name split, sex, address
    bakker = records[5]
    assert _at(bakker, "last_name").strip() == "Bakker"
    assert _at(bakker, "name_prefix").strip() == "de"
    assert _at(bakker, "initials").strip() == "BJ"
    assert _at(bakker, "sex") == "1"
    assert (_at(bakker, "postcode"), _at(bakker, "house_number")) == ("9876ZX", "00003")
    # then: the closing record adds up and equals the hand-computed totals
    assert DutchDistrictNursingExporter.check(data) == []
    closing = DutchDistrictNursingExporter.parse_closing(data)
    assert (closing.insured_records, closing.line_records, closing.total_records) == (2, 6, 10)
    assert closing.debit_cents == 35617
    assert closing.credit_cents == 7835
    assert (closing.net_cents, closing.net_sign) == (27782, "D")
    # one service record per client, service and day: begin date = end date = the day
    assert [(_at(r, "service_start"), _at(r, "service_end")) for r in records[2:5]] == [
        ("20260303", "20260303"),
        ("20260303", "20260303"),
        ("20260310", "20260310"),
    ]
    # the credit line: the corrected day in Feb, C flag, 12 units, 78.35 tariff, its own
    # reference and the reference of the record it reverses
    credit = records[6]
    assert (_at(credit, "service_start"), _at(credit, "service_end")) == ("20260211", "20260211")
    assert _at(credit, "amount_sign") == "C"
    assert _at(credit, "quantity") == "0012"
    # the quantity counts 5-minute units: TIJDSEENHEID ZORGPERIODE (COD218, position 134) 07
    assert {r[133:135] for r in records if r[:2] == "04"} == {"07"}
    assert _at(credit, "tariff") == "00007835"
    assert _at(credit, "reference").strip() == "ref-4"
    assert _at(credit, "previous_reference").strip() == "ref-old"


def test_validator_checks_every_record_of_the_golden_file() -> None:
    """A small month, byte for byte (tests/billing/golden/aw319-small-month.txt)."""
    data = get_exporter("nl-wv").render(hand_computed_invoice())
    if UPDATE_GOLDEN:
        GOLDEN.write_bytes(data)
    assert data == GOLDEN.read_bytes()
    assert DutchDistrictNursingExporter.check(data) == []


def test_declaration_writes_accented_names_as_plain_ascii() -> None:
    # given: a client whose name has accents (one byte each in ISO-8859-1, but not in ASCII)
    invoice = hand_computed_invoice()
    insured = {**invoice.insured, "a": InsuredPerson("Çelik-Brandão", "", "Z.", "2", "1234AB", 1)}
    accented = dataclasses.replace(invoice, insured=insured)
    # when
    records = get_exporter("nl-wv").render(accented).decode("iso-8859-1").split("\r\n")
    # then: the insured record carries the name without accents, in its 25 characters
    assert records[1][:2] == "02"
    assert _at(records[1], "last_name") == "Celik-Brandao".ljust(25)
    assert records[1].isascii()
    assert len(records[1]) == 310


def _tampered(offset_in_closing: int, byte: str) -> bytes:
    data = bytearray(get_exporter().render(hand_computed_invoice()))
    closing_start = len(data) - 312
    assert data[closing_start : closing_start + 2] == b"99"
    data[closing_start + offset_in_closing] = ord(byte)
    return bytes(data)


def test_validator_names_the_record_and_field_of_a_tampered_total() -> None:
    data = _tampered(40, "9")  # inside TOTAAL DECLARATIEBEDRAG
    assert DutchDistrictNursingExporter.check(data) == [
        "record 10 (99 sluitrecord), field total: says 29782, the file has 27782"
    ]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda r: r[:61] + "X" + r[62:], "field sex: CODE GESLACHT VERZEKERDE (COD046): 'X' is"),
        (
            lambda r: r[:141] + " " * 6 + r[147:],
            "field postcode: POSTCODE (HUISADRES) VERZEKERDE: is",
        ),
        (lambda r: r[:-1], "is 309 characters, not 310"),
        (lambda r: r[:53] + "20260231" + r[61:], "'20260231' is not a date CCYYMMDD"),
    ],
)
def test_validator_refuses_a_broken_insured_record(mutate, message: str) -> None:
    records = get_exporter().render(hand_computed_invoice()).decode("iso-8859-1").split("\r\n")
    records[1] = mutate(records[1])
    problems = DutchDistrictNursingExporter.check("\r\n".join(records).encode("iso-8859-1"))
    assert any(message in p and p.startswith("record 2 (02") for p in problems), problems


def test_a_file_that_fails_the_validator_is_never_returned() -> None:
    # given: a client without a postcode (mandatory in the insured record)
    invoice = hand_computed_invoice()
    insured = {**invoice.insured, "b": InsuredPerson("Bakker", "de", "B.", "1", "", 3)}
    # when / then
    with pytest.raises(DeclarationInvalid, match=r"record 6 \(02 verzekerdenrecord\), field post"):
        get_exporter().render(dataclasses.replace(invoice, insured=insured))


def test_declaration_refuses_values_that_do_not_fit() -> None:
    invoice = hand_computed_invoice()
    bad = InsurerInvoice(**{**invoice.__dict__, "invoice_number": "X" * 13})
    with pytest.raises(FieldOverflow, match="is longer than the 12 characters"):
        get_exporter().render(bad)


def test_csv_totals_agree_with_the_declaration_and_the_hand_computation() -> None:
    invoice = hand_computed_invoice()
    rows = list(csv.DictReader(io.StringIO(invoice_csv_bytes(invoice).decode("utf-8"))))
    lines, total = rows[:-1], rows[-1]
    assert len(lines) == 6
    assert sum(Decimal(r["amount"]) for r in lines) == Decimal("277.82")
    assert total["kind"] == "total"
    assert Decimal(total["amount"]) == Decimal("277.82")
    assert sum(int(r["units_5_min"]) for r in lines) == 19 + 12 + 13 - 12 + 9 + 6
    assert [r["care_date"] for r in lines] == [
        "2026-03-03",
        "2026-03-03",
        "2026-03-10",
        "2026-02-11",
        "2026-02-11",
        "2026-03-05",
    ]
    assert [r["kind"] for r in lines].count("credit") == 1


def test_csv_neutralises_formula_injection() -> None:
    invoice = hand_computed_invoice()
    first = invoice.lines[0]
    evil = dataclasses.replace(first, client_name="=HYPERLINK(1)")
    bad = InsurerInvoice(**{**invoice.__dict__, "lines": [evil]})
    assert "'=HYPERLINK(1)" in invoice_csv_bytes(bad).decode()


def test_pdf_context_and_html_show_the_same_totals() -> None:
    invoice = hand_computed_invoice()
    context = invoice_pdf_context(invoice)
    assert context["total"] == Decimal("277.82")
    assert sum(row.amount for row in context["summary"]) == Decimal("277.82")
    # credits are listed first in the summary
    assert context["summary"][0].kind == LineKind.CREDIT
    html = invoice_pdf_html(invoice)
    assert 'id="total">€277.82<' in html  # the money filter (buurtzorg.money), in English
    assert 'id="total-debit">€356.17<' in html
    assert 'id="total-credit">-€78.35<' in html


def test_pdf_appendix_is_pages_of_fixed_width_lines() -> None:
    # given: 101 lines; one of them a credit with a name too long for its column
    invoice = hand_computed_invoice()
    many = [
        dataclasses.replace(invoice.lines[0], line_number=n, client_ref=str(n))
        for n in range(1, 102)
    ]
    many[100] = dataclasses.replace(
        invoice.lines[3], line_number=101, client_name="Van Oldenbarnevelt-Tjarda A.B.C."
    )
    # when
    context = invoice_pdf_context(InsurerInvoice(**{**invoice.__dict__, "lines": many}))
    # then: pages of APPENDIX_ROWS_PER_PAGE lines, every line as wide as the header
    pages = context["appendix_pages"]
    assert [len(page) for page in pages] == [APPENDIX_ROWS_PER_PAGE, APPENDIX_ROWS_PER_PAGE, 1]
    width = len(context["appendix_header"])
    assert {len(row) for page in pages for row in page} == {width}
    assert context["appendix_header"].split() == [name for name, _, _ in APPENDIX_COLUMNS]
    # the credit line: its marker, negative units and amount, the name cut with an ellipsis
    credit = pages[2][0]
    first = many[100]
    assert credit.split()[:3] == ["101", first.bsn, first.policy_number]
    assert "Van Oldenbarnev\u2026" in credit
    assert f"{first.service_code} credit" in credit
    assert credit.rstrip().endswith(
        f"{first.units} {first.hourly_rate:>7.2f} {first.amount:>10.2f}"
    )
    html = invoice_pdf_html(InsurerInvoice(**{**invoice.__dict__, "lines": many}))
    assert html.count('<div class="appendix-page">') == 3


def test_pdf_appendix_sums_a_clients_days_per_service_and_month() -> None:
    # given: Anna's two V1 days in March are lines 2 and 3
    invoice = hand_computed_invoice()
    # when
    rows = invoice_pdf_context(invoice)["appendix_pages"][0]
    # then: one row per client, kind, month and service, with its line range and day count
    assert len(rows) == 5
    anna_v1 = rows[1].split()
    assert anna_v1[0] == "2-3"
    assert anna_v1[-4:] == ["2", "25", "78.35", "163.23"]
    # and the rows add up to the invoice total, which is the file's total
    total = sum(Decimal(row.split()[-1]) for row in rows)
    assert total == invoice.total == Decimal("277.82")


def test_a_month_line_made_before_per_day_lines_keeps_its_month() -> None:
    # given: a credit of a month line (no day of care: declared before lines were per day)
    invoice = hand_computed_invoice()
    month_credit = dataclasses.replace(invoice.lines[3], service_date=None)
    lines = [*invoice.lines[:3], month_credit, *invoice.lines[4:]]
    # when
    data = get_exporter().render(dataclasses.replace(invoice, lines=lines))
    # then: its record still covers the whole month, as the record it reverses did
    credit = data.decode("iso-8859-1").split("\r\n")[6]
    assert (_at(credit, "service_start"), _at(credit, "service_end")) == ("20260201", "20260228")
    assert DutchDistrictNursingExporter.check(data) == []


def test_pdf_prints_each_appendix_block_on_a_page_of_its_own() -> None:
    from weasyprint import HTML

    # given: 150 lines, so a summary page and three appendix blocks of 50
    invoice = hand_computed_invoice()
    many = [
        dataclasses.replace(invoice.lines[0], line_number=n, client_ref=str(n))
        for n in range(1, 151)
    ]
    # when
    document = HTML(string=invoice_pdf_html(InsurerInvoice(**{**invoice.__dict__, "lines": many})))
    # then: a full block of 50 lines fits one A4 page, its header on top (a block that did not
    # fit would be split over two pages, and two blocks would not fit on one)
    assert len(document.render().pages) == 4


def test_pdf_leaves_out_the_appendix_of_a_very_long_invoice() -> None:
    invoice = hand_computed_invoice()
    many = [
        dataclasses.replace(invoice.lines[0], line_number=n, client_ref=str(n))
        for n in range(1, APPENDIX_MAX_LINES + 2)
    ]
    html = invoice_pdf_html(InsurerInvoice(**{**invoice.__dict__, "lines": many}))
    assert '<div class="appendix-page">' not in html
    assert f"This invoice has {APPENDIX_MAX_LINES + 1} lines" in html


def test_pdf_renders_and_is_deterministic() -> None:
    invoice = hand_computed_invoice()
    first, second = invoice_pdf_bytes(invoice), invoice_pdf_bytes(invoice)
    assert first.startswith(b"%PDF")
    assert first == second


@pytest.mark.parametrize(
    "url",
    ["http://example.org/x.css", "https://example.org/font.woff", "file:///etc/passwd", "ftp://x"],
)
def test_pdf_url_fetcher_refuses_anything_but_local_static_files(url: str) -> None:
    with pytest.raises(RefusedURL, match="only local static files are allowed"):
        local_url_fetcher(url)


def test_pdf_with_a_remote_image_renders_without_fetching_it() -> None:
    from scheduling.billing.files import render_pdf

    # WeasyPrint logs and skips a refused resource; rendering still succeeds offline
    assert render_pdf('<img src="http://169.254.169.254/latest">').startswith(b"%PDF")


def test_other_countries_can_register_an_exporter() -> None:
    @register
    class TestCsvExporter(DeclarationExporter):
        code = "xx-test"

        def render(self, invoice: InsurerInvoice) -> bytes:
            return f"{invoice.uzovi};{invoice.total}".encode()

    assert "xx-test" in exporter_codes()
    assert get_exporter("xx-test").render(hand_computed_invoice()) == b"3311;277.82"
    with pytest.raises(LookupError, match="No declaration exporter 'nope'"):
        get_exporter("nope")


@pytest.mark.parametrize("block", [1, 311, 1000, 1 << 20])
def test_the_validator_reads_a_stored_file_in_blocks_with_the_same_verdict(block: int) -> None:
    # given: a good file and the same file with a wrong total in its closing record
    good = get_exporter().render(hand_computed_invoice())
    bad = _tampered(40, "9")
    # when: read in blocks of any size (a record split over two blocks included)
    # then: the same problems as the whole-file check, naming the record and field
    assert AW319_VALIDATOR.validate_stream(io.BytesIO(good), block=block) == []
    assert AW319_VALIDATOR.validate_stream(io.BytesIO(bad), block=block) == (
        AW319_VALIDATOR.validate(bad)
    )
    assert AW319_VALIDATOR.validate_stream(io.BytesIO(good[:-2]), block=block)[0].message == (
        "does not end with CR LF after its last record"
    )


def test_the_declaration_is_written_in_checked_blocks(monkeypatch) -> None:
    # given: blocks of two records, so the file is written and checked in five pieces
    monkeypatch.setattr("scheduling.billing.exporters.WRITE_BLOCK", 2 * 312)
    out = io.BytesIO()
    # when
    get_exporter().write(hand_computed_invoice(), out)
    # then: the same bytes as the golden file
    assert out.getvalue() == GOLDEN.read_bytes()
