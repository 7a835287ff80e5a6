import csv
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
