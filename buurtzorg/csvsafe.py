"""CSV writing that neutralises formula injection, and streams.

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
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# The start of the cell, a separator of either kind or a line break, optional spaces and double
# quotes, then a formula character: a single quote goes in right before that character.
_FORMULA_START = re.compile(r"(^|[;,\r\n])([ \"]*)(?=[=+\-@\t\r])")


def neutralise(value: Any) -> Any:  # noqa: ANN401 - a cell of any type
    """Quote-prefix every formula start in a text cell, for `,` and `;` readers alike.

    Numbers (and other non-text values) pass unchanged.
    """
    if isinstance(value, str):
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
