"""CSV and PDF writers for one insurer's invoice. Pure functions of `InsurerInvoice`."""

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext, pgettext_lazy

from buurtzorg.audit.pdf import PDF_VARIANT
from buurtzorg.csvsafe import csv_cell_sql, csv_rows
from buurtzorg.limits import worker_memory_limit
from scheduling.billing.declaration import (
    DeclarationLine,
    InsurerInvoice,
    LineKind,
    LinesInDatabase,
)

CSV_HEADER = [
    "invoice_number",
    "uzovi",
    "billed_period",
    "line",
    "kind",
    "bsn",
    "policy_number",
    "date_of_birth",
    "client_name",
    "care_period",
    "care_date",
    "service_code",
    "service_name",
    "minutes",
    "units_5_min",
    "hourly_tariff",
    "amount",
    "visits",
]

# The appendix summarises the service lines (one a day) for the reader: one row per client,
# kind, month, service and tariff, with the range of its line numbers (a client's days of one
# service are consecutive lines, see services.line_order), the number of days, and the sums of
# units and amounts, so its rows add up to the same total as the CSV and the declaration.
# It is set in a monospaced font, a line of fixed-width columns per row, not as an HTML
# table: WeasyPrint lays out every table cell as its own box (nine a line), which made a
# 50-page appendix take ~15 s; one text line a row renders it in ~3 s. Each page is a block
# of APPENDIX_ROWS_PER_PAGE lines under its own column header.
APPENDIX_ROWS_PER_PAGE = 50
# (header, width, alignment) of each appendix column: 102 characters, 172 mm at 8 pt
APPENDIX_COLUMNS = (
    (pgettext_lazy("invoice appendix", "Lines"), 11, ">"),
    (pgettext_lazy("invoice appendix", "BSN"), 9, "<"),
    (pgettext_lazy("invoice appendix", "Policy"), 15, "<"),
    (pgettext_lazy("invoice appendix", "Client"), 16, "<"),
    (pgettext_lazy("invoice appendix", "Month"), 7, "<"),
    (pgettext_lazy("invoice appendix", "Service"), 11, "<"),
    (pgettext_lazy("invoice appendix", "Days"), 4, ">"),
    (pgettext_lazy("invoice appendix", "Units"), 6, ">"),
    (pgettext_lazy("invoice appendix", "Tariff"), 7, ">"),
    (pgettext_lazy("invoice appendix", "Amount"), 10, ">"),
)
# Past this many appendix rows the PDF names the CSV for the per-client detail instead of
# printing a book: the insurer reads the declaration file and the CSV, the PDF is the human
# summary.
APPENDIX_MAX_LINES = 2_500  # 50 pages


def _money(amount: Decimal) -> Decimal:
    """Two decimals, kept a number so the formula guard leaves a minus sign alone."""
    return amount.quantize(Decimal("0.01"))


def invoice_csv_rows(invoice: InsurerInvoice) -> Iterator[str]:
    """The CSV, line by line (formula-safe via buurtzorg.csvsafe), ending with a total row.

    Lines kept in the database come in blocks of many lines that the database wrote
    (`_csv_line_sql`), except a block with a cell it cannot write exactly, written here."""
    yield from csv_rows([CSV_HEADER])
    lines = invoice.lines
    if isinstance(lines, LinesInDatabase):
        sql, params = _csv_line_sql(invoice)
        for first, last, _amount, text in lines.text_blocks(sql, params):
            if text is None:
                yield from csv_rows(_csv_rows(invoice, lines.between(first, last)))
            else:
                yield text
    else:
        yield from csv_rows(_csv_rows(invoice, lines))
    yield from csv_rows([_csv_total_row(invoice)])


def _csv_line_sql(invoice: InsurerInvoice) -> tuple[str, list[Any]]:
    """The SQL of one line of `_csv_rows` (see LinesInDatabase), CR LF included."""
    text_cells = ("bsn", "policy_number", "client_name", "service_code", "service_name")
    cells: dict[str, str] = {
        "line": "line_number::text",
        "kind": f"CASE WHEN kind = '{LineKind.CREDIT}' THEN '{LineKind.CREDIT}' "
        f"ELSE '{LineKind.DEBIT}' END",
        "date_of_birth": "coalesce(to_char(date_of_birth, 'YYYY-MM-DD'), '')",
        "care_period": "to_char(period, 'YYYY-MM')",
        "care_date": "coalesce(to_char(service_date, 'YYYY-MM-DD'), '')",
        "minutes": "coalesce(minutes::text, '')",
        "units_5_min": "coalesce(units::text, '')",
        # `_money` (NULL for more than two decimals, where Python's rounding could differ)
        "hourly_tariff": "CASE WHEN hourly_rate = round(hourly_rate, 2) "
        "THEN round(hourly_rate, 2)::text END",
        "amount": "CASE WHEN amount = round(amount, 2) THEN round(amount, 2)::text END",
        "visits": "visit_count::text",
    }
    params: list[Any] = []
    parts = ["%s"]  # the invoice's own cells, written here
    params.append("".join(csv_rows([_invoice_cells(invoice)]))[: -len("\r\n")])
    for name in CSV_HEADER[3:]:
        if name in text_cells:
            sql, cell_params = csv_cell_sql(name)
            parts.append(sql)
            params.extend(cell_params)
        else:
            parts.append(cells[name])
    return " || ',' || ".join(parts) + " || E'\\r\\n'", params


def _invoice_cells(invoice: InsurerInvoice) -> list[Any]:
    return [invoice.invoice_number, invoice.uzovi, f"{invoice.period:%Y-%m}"]


def _csv_rows(invoice: InsurerInvoice, lines: Iterable[DeclarationLine]) -> Iterator[list[Any]]:
    head = _invoice_cells(invoice)
    for ln in lines:
        yield [
            *head,
            ln.line_number,
            ln.kind,
            ln.bsn,
            ln.policy_number,
            # a date as itself: the csv module writes str(date), its ISO form, and the
            # formula guard passes it by unread (an ISO date always has a "-" to look at)
            ln.date_of_birth or "",
            ln.client_name,
            f"{ln.period:%Y-%m}",
            ln.service_date or "",
            ln.service_code,
            ln.service_name,
            ln.minutes,
            ln.units,
            _money(ln.hourly_rate),
            _money(ln.amount),
            ln.visit_count,
        ]


def _csv_total_row(invoice: InsurerInvoice) -> list[Any]:
    return [
        *_invoice_cells(invoice),
        "",
        "total",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        invoice.total_units,
        "",
        _money(invoice.total),
        "",
    ]


def invoice_csv_bytes(invoice: InsurerInvoice) -> bytes:
    return "".join(invoice_csv_rows(invoice)).encode("utf-8")


def write_invoice_csv(invoice: InsurerInvoice, out: BinaryIO, *, block: int = 1 << 22) -> None:
    """The CSV written to `out` in blocks of about `block` characters (the same bytes as
    `invoice_csv_bytes`): a national month's CSV (1.5 million lines) never sits in memory
    whole."""
    rows: list[str] = []
    size = 0
    for row in invoice_csv_rows(invoice):
        rows.append(row)
        size += len(row)
        if size >= block:
            out.write("".join(rows).encode("utf-8"))
            rows, size = [], 0
    out.write("".join(rows).encode("utf-8"))


# --- PDF -------------------------------------------------------------------------------------


class RefusedURL(ValueError):
    """The PDF tried to load something that is not a local static file."""


def _allowed_roots() -> list[Path]:
    roots = [Path(d).resolve() for d in getattr(settings, "STATICFILES_DIRS", [])]
    if getattr(settings, "STATIC_ROOT", None):
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def _local_fetcher_class() -> type:
    from weasyprint.urls import URLFetcher  # lazy: weasyprint (Pango) is slow to import

    class LocalOnlyURLFetcher(URLFetcher):
        """Serves only files below the static folders; refuses everything else.

        So a template, or a value shown in it, can never make the worker fetch a remote or
        private resource (SSRF) or read a file outside the static folders.
        """

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("file://"):
                path = Path(url.removeprefix("file://").split("?")[0]).resolve()
                roots = _allowed_roots()
                if path.is_file() and any(path.is_relative_to(root) for root in roots):
                    return super().fetch(url, headers)
            raise RefusedURL(f"Refused to fetch {url!r}: only local static files are allowed")

    return LocalOnlyURLFetcher


def local_url_fetcher(url: str) -> Any:
    """Fetch `url` the way the PDF renderer does (local static files only)."""
    return _local_fetcher_class()(allowed_protocols={"file"}, fail_on_errors=False)(url)


def invoice_pdf_context(invoice: InsurerInvoice) -> dict[str, Any]:
    """What the PDF template shows. Tests compare these totals with the CSV and declaration."""
    # (a month's lines may be a stream: past APPENDIX_MAX_LINES groups it stops reading)
    groups = appendix_groups(invoice.lines, limit=APPENDIX_MAX_LINES + 1)
    show_appendix = len(groups) <= APPENDIX_MAX_LINES
    rows = [appendix_row(group) for group in groups] if show_appendix else []
    pages = [
        rows[i : i + APPENDIX_ROWS_PER_PAGE] for i in range(0, len(rows), APPENDIX_ROWS_PER_PAGE)
    ]
    return {
        "invoice": invoice,
        # the PDF's metadata author: the organisation the invoice was made for ({% pdf_author %})
        "document_author": invoice.organisation_name,
        "summary": invoice.summary_by_service(),
        "total_debit": invoice.total_debit,
        "total_credit": invoice.total_credit,
        "total": invoice.total,
        "credited": -invoice.total,
        "total_units": invoice.total_units,
        "insured_count": invoice.insured_count,
        "line_count": invoice.line_count,
        "appendix_header": _columns([str(name) for name, _w, _a in APPENDIX_COLUMNS]),
        "appendix_pages": pages,
        "show_appendix": show_appendix,
    }


def _columns(values: list[str]) -> str:
    """One appendix line: each value in its column, cut with an ellipsis if too long."""
    cells = []
    for value, (_, width, align) in zip(values, APPENDIX_COLUMNS, strict=True):
        text = value if len(value) <= width else value[: width - 1] + "\u2026"
        cells.append(f"{text:{align}{width}}")
    return " ".join(cells)


@dataclass(frozen=True, slots=True)
class AppendixGroup:
    """Consecutive lines of one client, kind, month, service and tariff (one appendix row)."""

    first: DeclarationLine
    last_number: int
    days: int
    units: int
    amount: Decimal


def appendix_groups(
    lines: Iterable[DeclarationLine], *, limit: int | None = None
) -> list[AppendixGroup]:
    """The lines (in file order) summarised per client, kind, month, service and tariff; at
    most `limit` groups (the rest of the lines is not read)."""

    def key(ln: DeclarationLine) -> tuple:
        return (ln.client_ref, ln.kind, ln.period, ln.service_code, ln.hourly_rate)

    groups = []
    for _, run in itertools.groupby(lines, key=key):
        members = list(run)
        groups.append(
            AppendixGroup(
                first=members[0],
                last_number=members[-1].line_number,
                days=len(members),
                units=sum(ln.units for ln in members),
                amount=sum((ln.amount for ln in members), Decimal("0")),
            )
        )
        if limit is not None and len(groups) >= limit:
            break
    return groups


def appendix_row(group: AppendixGroup) -> str:
    """An appendix group as a line of the PDF (the CSV has every line in full)."""
    line = group.first
    credit = line.kind == LineKind.CREDIT
    numbers = str(line.line_number)
    if group.last_number != line.line_number:
        numbers += f"-{group.last_number}"
    return _columns(
        [
            numbers,
            line.bsn,
            line.policy_number,
            line.client_name,
            f"{line.period.year:04d}-{line.period.month:02d}",
            _service_column(line.service_code, credit=credit),
            str(group.days),
            str(group.units),
            _decimal(line.hourly_rate),
            _decimal(group.amount),
        ]
    )


def _service_column(code: str, *, credit: bool) -> str:
    return gettext("%(code)s credit") % {"code": code} if credit else code


def _decimal(amount: Decimal) -> str:
    """Two decimals with the active language's separator (12,50 in Dutch)."""
    return f"{amount:.2f}".replace(".", formats.get_format("DECIMAL_SEPARATOR"))


def invoice_pdf_html(invoice: InsurerInvoice) -> str:
    # The organisation's language (LANGUAGE_CODE; insurers are Dutch), whoever renders it or
    # from whichever worker: the same invoice must give the same bytes.
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("billing/invoice_pdf.html", invoice_pdf_context(invoice))


def render_pdf(html: str) -> bytes:
    """HTML to PDF with local resources only. Deterministic for the same HTML.

    In a Celery worker the rendering may take at most PDF_MEMORY_LIMIT_MB more address space
    (buurtzorg.limits); beyond it the task fails with MemoryError instead of the machine
    running out of memory. The task's time limit (CELERY_TASK_TIME_LIMIT) bounds its time.
    """
    from weasyprint import HTML  # lazy: only PDF rendering pays weasyprint's import

    base_url = str(_allowed_roots()[0]) + "/" if _allowed_roots() else None
    with worker_memory_limit(settings.PDF_MEMORY_LIMIT_MB):
        return HTML(
            string=html,
            base_url=base_url,
            url_fetcher=_local_fetcher_class()(allowed_protocols={"file"}, fail_on_errors=False),
        ).write_pdf(pdf_variant=PDF_VARIANT)


def invoice_pdf_bytes(invoice: InsurerInvoice) -> bytes:
    return render_pdf(invoice_pdf_html(invoice))


def default_invoice_date(period: dt.date) -> dt.date:
    """Invoices are dated the first day after the billed month (stable across re-exports)."""
    return (period.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
