"""CSV and PDF writers for one insurer's invoice. Pure functions of `InsurerInvoice`."""

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from buurtzorg.csvsafe import csv_rows
from buurtzorg.limits import worker_memory_limit
from scheduling.billing.declaration import InsurerInvoice, LineKind

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
    "service_code",
    "service_name",
    "minutes",
    "units_5_min",
    "hourly_tariff",
    "amount",
    "visits",
]

# Appendix tables hold at most this many rows each: a new table (with its own header) starts
# after that, so no single table runs over many pages.
APPENDIX_ROWS_PER_TABLE = 35
# Past this many lines the PDF names the CSV for the per-client detail instead of printing a
# book: the insurer reads the declaration file and the CSV, the PDF is the human summary.
APPENDIX_MAX_LINES = 400


def _money(amount: Decimal) -> Decimal:
    """Two decimals, kept a number so the formula guard leaves a minus sign alone."""
    return amount.quantize(Decimal("0.01"))


def invoice_csv_rows(invoice: InsurerInvoice) -> Iterator[str]:
    """The CSV, line by line (formula-safe via buurtzorg.csvsafe), ending with a total row."""

    def rows() -> Iterator[list[Any]]:
        yield CSV_HEADER
        period = f"{invoice.period:%Y-%m}"
        for ln in invoice.lines:
            yield [
                invoice.invoice_number,
                invoice.uzovi,
                period,
                ln.line_number,
                ln.kind,
                ln.bsn,
                ln.policy_number,
                ln.date_of_birth.isoformat() if ln.date_of_birth else "",
                ln.client_name,
                f"{ln.period:%Y-%m}",
                ln.service_code,
                ln.service_name,
                ln.minutes,
                ln.units,
                _money(ln.hourly_rate),
                _money(ln.amount),
                ln.visit_count,
            ]
        yield [
            invoice.invoice_number,
            invoice.uzovi,
            period,
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
            invoice.total_units,
            "",
            _money(invoice.total),
            "",
        ]

    return csv_rows(rows())


def invoice_csv_bytes(invoice: InsurerInvoice) -> bytes:
    return "".join(invoice_csv_rows(invoice)).encode("utf-8")


# --- PDF -------------------------------------------------------------------------------------


class RefusedURL(ValueError):
    """The PDF tried to load something that is not a local static file."""


def _allowed_roots() -> list[Path]:
    roots = [Path(d).resolve() for d in getattr(settings, "STATICFILES_DIRS", [])]
    if getattr(settings, "STATIC_ROOT", None):
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def _local_fetcher_class() -> type:
    from weasyprint.urls import URLFetcher

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
    lines = invoice.lines
    show_appendix = len(lines) <= APPENDIX_MAX_LINES
    chunks = (
        [
            lines[i : i + APPENDIX_ROWS_PER_TABLE]
            for i in range(0, len(lines), APPENDIX_ROWS_PER_TABLE)
        ]
        if show_appendix
        else []
    )
    return {
        "invoice": invoice,
        "summary": invoice.summary_by_service(),
        "total_debit": invoice.total_debit,
        "total_credit": invoice.total_credit,
        "total": invoice.total,
        "total_units": invoice.total_units,
        "insured_count": invoice.insured_count,
        "line_count": len(lines),
        "appendix_chunks": chunks,
        "show_appendix": show_appendix,
        "credit": LineKind.CREDIT,
    }


def invoice_pdf_html(invoice: InsurerInvoice) -> str:
    # A fixed language: the same invoice must give the same bytes whoever renders it.
    with translation.override("en"):
        return render_to_string("billing/invoice_pdf.html", invoice_pdf_context(invoice))


def render_pdf(html: str) -> bytes:
    """HTML to PDF with local resources only. Deterministic for the same HTML.

    In a Celery worker the rendering may take at most PDF_MEMORY_LIMIT_MB more address space
    (buurtzorg.limits); beyond it the task fails with MemoryError instead of the machine
    running out of memory. The task's time limit (CELERY_TASK_TIME_LIMIT) bounds its time.
    """
    from weasyprint import HTML

    base_url = str(_allowed_roots()[0]) + "/" if _allowed_roots() else None
    with worker_memory_limit(settings.PDF_MEMORY_LIMIT_MB):
        return HTML(
            string=html,
            base_url=base_url,
            url_fetcher=_local_fetcher_class()(allowed_protocols={"file"}, fail_on_errors=False),
        ).write_pdf()


def invoice_pdf_bytes(invoice: InsurerInvoice) -> bytes:
    return render_pdf(invoice_pdf_html(invoice))


def default_invoice_date(period: dt.date) -> dt.date:
    """Invoices are dated the first day after the billed month (stable across re-exports)."""
    return (period.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
