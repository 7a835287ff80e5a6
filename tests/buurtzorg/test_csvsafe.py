import csv
import dataclasses
import io

import pytest

from buurtzorg.csvsafe import FORMULA_PREFIXES, csv_rows


def test_formula_cells_are_neutralised_and_numbers_kept() -> None:
    lines = list(csv_rows([["=1+1", "+31 6", "-x", "@SUM(A1)", "plain", -5, 3.5]]))
    assert lines == ["'=1+1,'+31 6,'-x,'@SUM(A1),plain,-5,3.5\r\n"]


EVIL_CELLS = [
    "Jansen;=1+1;",
    "Jansen,=1+1,",
    'de Vries; =HYPERLINK("http://x")',
    "a;+31 6;-2;@SUM(A1)",
    "x;\t=1+1",
    "x;\r=1+1",
    'x,"=1+1"',
    "=cmd|' /C calc'!A0",
    "plain;text, with separators",
    'x;"=1+1";"-2"',
    "line\n=1+1",
    "line\r\n@SUM(A1)",
]


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_no_cell_starts_a_formula_whichever_separator_the_spreadsheet_uses(
    delimiter: str,
) -> None:
    # given: text cells that a `;` spreadsheet (Dutch Excel) would split into formulas
    text = "".join(csv_rows([["Jansen", *EVIL_CELLS, 42]]))
    # when: a spreadsheet reads the file with either separator
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    cells = [cell for row in rows for cell in row]
    # then: no cell it gets, nor any line of it (spaces and stray quotes trimmed, as some
    # importers do), starts a formula
    parts = [part for cell in cells for part in cell.splitlines()]
    offending = [p for p in [*cells, *parts] if p.lstrip(' "').startswith(FORMULA_PREFIXES)]
    assert offending == []
    assert cells[0].startswith("Jansen")


def test_a_comma_reader_gets_the_text_back_with_only_quote_prefixes_added() -> None:
    text = "".join(csv_rows([["Jansen;=1+1;", "Bakker-Smit", "plain;text"]]))
    row = next(csv.reader(io.StringIO(text, newline="")))
    assert row == ["Jansen;'=1+1;", "Bakker-Smit", "plain;text"]


def _formula_cells(text: str) -> list[str]:
    """Every cell (and line of a cell) a `,` or a `;` spreadsheet would read as a formula."""
    found = []
    for delimiter in (",", ";"):
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            parts = [p for cell in row for p in [cell, *cell.splitlines()]]
            found += [p for p in parts if p.lstrip(' "').startswith(FORMULA_PREFIXES)]
    return found


EVIL = "Jansen;=1+1;"


def test_the_invoice_csv_has_no_formula_cell_in_either_spreadsheet() -> None:
    # given an invoice line whose client name a `;` spreadsheet splits into a formula
    from scheduling.billing.files import InsurerInvoice, invoice_csv_bytes
    from tests.billing.test_files import hand_computed_invoice

    invoice = hand_computed_invoice()
    evil = dataclasses.replace(invoice.lines[0], client_name=EVIL)
    text = invoice_csv_bytes(InsurerInvoice(**{**invoice.__dict__, "lines": [evil]})).decode()
    # then neither reader gets a formula, and the name is still there
    assert _formula_cells(text) == []
    assert "Jansen" in text


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_outcome_report_csv_has_no_formula_cell_in_either_spreadsheet(language: str) -> None:
    from omaha.reports.files import report_csv_lines

    empty = {"scope": EVIL, "clients": 1, "clients_by_domain": [], "problems": [], "kbs": []}
    hours = {
        "clients_with_care": 1, "total_hours": 1, "mean_hours": 1, "median_hours": 1,
        "max_hours": 1, "buckets": [],
    }  # fmt: skip
    result = {**empty, "interventions": [], "hours": hours, "per_client": [
        {"client": EVIL, "hours": 2}
    ]}  # fmt: skip
    text = "".join(report_csv_lines(None, result, language=language))  # type: ignore[arg-type]
    assert _formula_cells(text) == []
    assert text.count("Jansen") == 2


@pytest.mark.django_db
def test_the_access_log_csv_has_no_formula_cell_in_either_spreadsheet(client) -> None:
    import uuid

    from django.urls import reverse

    from buurtzorg.audit.models import Action
    from buurtzorg.audit.services import access_log_write
    from tests.factories import AdminFactory, NurseFactory

    record = uuid.uuid4()
    access_log_write(
        action=Action.EXPORT, actor=NurseFactory(), client_public_id=record, detail=EVIL
    )
    client.force_login(AdminFactory())
    for language in ("nl", "en"):
        client.cookies["django_language"] = language
        response = client.get(reverse("audit:client-report-csv", args=[record]))
        text = b"".join(response.streaming_content).decode()
        assert "Jansen" in text
        assert _formula_cells(text) == [], language
