"""CSV writing that neutralises formula injection, streams, and suits the reader's language.

`reader_csv_rows` is for files people open in a spreadsheet (outcome reports, the access
log): a UTF-8 byte-order mark (so Excel reads "cliënt" right), and in Dutch `;` between cells
and a decimal comma, because Dutch Excel splits on `;` and reads "1.5" as a date or text; in
English `,` and a decimal point. `csv_rows` stays the plain `,` file for programs (the
insurer's invoice CSV next to its declaration file).

A cell starting with = + - @ (or a tab/carriage return) is read as a formula by spreadsheet
programs; OWASP's advice is to prefix such cells with a single quote.

Our files use `,`, but a Dutch spreadsheet opens a CSV with `;` as its separator: there the
unquoted text cell `Jansen;=1+1;` becomes three cells, the second of them a formula. So the
rule holds for every part of a cell that a reader can take as the start of a cell: the
beginning of the cell and every place right after a `;`, a `,` or a line break (a reader that
splits on the other separator may also see a cell's quotes as the start of a quoted field, and
some importers trim spaces, so spaces and double quotes in between are skipped). Whatever
separator the reader splits on, no cell it gets begins with a formula character.
"""

import csv
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.utils import translation

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# The start of the cell, a separator of either kind or a line break, optional spaces and double
# quotes, then a formula character: a single quote goes in right before that character.
_FORMULA_START = re.compile(r"(^|[;,\r\n])([ \"]*)(?=[=+\-@\t\r])")
# Any formula character at all: most cells (names, codes, numbers as text) have none, and
# this search is half the cost of the substitution that would find nothing to change.
_FORMULA_CHARACTER = re.compile(r"[=+\-@\t\r]")


def neutralise(value: Any) -> Any:  # noqa: ANN401 - a cell of any type
    """Quote-prefix every formula start in a text cell, for `,` and `;` readers alike.

    Numbers (and other non-text values) pass unchanged.
    """
    if isinstance(value, str) and _FORMULA_CHARACTER.search(value):
        return _FORMULA_START.sub(r"\1\2'", value)
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_rows(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """Yield CSV lines one by one (for StreamingHttpResponse or a file), neutralised."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


# `neutralise` and the csv module's quoting as SQL, for a text cell without tab, CR or LF (with
# those, Python's empty-match rules of re.sub and PostgreSQL's could differ: the SQL is NULL
# and the caller writes that cell's line in Python).
_FORMULA_START_SQL = '(^|[;,])([ "]*)(?=[-=+@])'


def _quoted_sql(value: str) -> str:
    # csv.QUOTE_MINIMAL: a cell with the delimiter or a quote is quoted, its quotes doubled
    return f"""(CASE WHEN {value} ~ '[,"]' THEN '"' || replace({value}, '"', '""') || '"' """ + (
        f"ELSE {value} END)"
    )


def csv_cell_sql(expression: str) -> tuple[str, list[str]]:
    """(SQL, its parameters) writing the text of `expression` as a cell of `csv_rows` (same
    text), or NULL where it cannot be sure to (a tab, CR or LF in it, or NULL)."""
    value = f"({expression})"
    replaced = f"regexp_replace({value}, %s, %s, 'g')"
    sql = (
        # most cells (a BSN, a name, a code) have none of these: one test, the value as it is
        f"CASE WHEN {value} !~ '[-=+@,\"\t\r\n]' THEN {value} "
        f"WHEN {value} ~ '[\t\r\n]' THEN NULL "
        f"WHEN {value} ~ '[-=+@]' THEN {_quoted_sql(replaced)} "
        f"ELSE {_quoted_sql(value)} END"
    )
    # each regexp_replace takes the pattern and the replacement (\1\2 + the quote)
    return sql, [_FORMULA_START_SQL, "\\1\\2'"] * sql.count("regexp_replace")


BOM = "\ufeff"


def reader_csv_dialect(language: str | None = None) -> tuple[str, str]:
    """(cell delimiter, decimal separator) for `language` (default: the active language)."""
    code = (language or translation.get_language() or "en").lower().split("-")[0]
    return (";", ",") if code == "nl" else (",", ".")


def _reader_cell(value: Any, decimal_separator: str) -> Any:  # noqa: ANN401 - a cell of any type
    if isinstance(value, bool) or isinstance(value, int):
        return value
    if isinstance(value, Decimal | float):
        return format(Decimal(str(value)), "f").replace(".", decimal_separator)
    return neutralise(value)


def reader_csv_rows(rows: Iterable[Iterable[Any]], *, language: str | None = None) -> Iterator[str]:
    """Yield a spreadsheet-ready CSV for a reader of `language`, neutralised, BOM first.

    Numbers (Decimal, float) get the language's decimal separator and are never prefixed by
    the formula guard (a negative amount stays a number); text cells are neutralised.
    """
    delimiter, decimal_separator = reader_csv_dialect(language)
    writer = csv.writer(_Echo(), delimiter=delimiter)
    yield BOM
    for row in rows:
        yield writer.writerow([_reader_cell(cell, decimal_separator) for cell in row])


def reader_csv_bytes(rows: Iterable[Iterable[Any]], *, language: str | None = None) -> bytes:
    return "".join(reader_csv_rows(rows, language=language)).encode("utf-8")
