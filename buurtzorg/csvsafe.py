"""CSV writing that neutralises formula injection, and streams.

A cell starting with = + - @ (or a tab/carriage return) is read as a formula by spreadsheet
programs; OWASP's advice is to prefix such cells with a single quote.
"""

import csv
from collections.abc import Iterable, Iterator
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Prefix text cells that a spreadsheet would run as a formula. Numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_rows(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """Yield CSV lines one by one (for StreamingHttpResponse or a file), neutralised."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])
