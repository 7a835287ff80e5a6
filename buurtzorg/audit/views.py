"""Administrator pages over the access log. Reading the log is itself logged (one row each)."""

from collections.abc import Iterator
from uuid import UUID

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django_htmx.middleware import HtmxDetails

from buurtzorg.access import role_required
from buurtzorg.audit import reads
from buurtzorg.audit.forms import AccessLogFilterForm
from buurtzorg.audit.models import AccessEvent
from buurtzorg.csvsafe import reader_csv_rows

# The columns in the reader's language (the same words as the page and the PDF).
CSV_HEADER = [_("When"), _("Who"), _("Role"), _("Action"), _("Part"), _("Detail"), _("IP address")]
LOG_READERS = reads.LOG_READER_ROLES


class HtmxHttpRequest(HttpRequest):
    """A request that passed django-htmx's middleware, which sets `request.htmx` (for the type
    checker only: the kernel cannot name the app's User, so `user` keeps Django's type)."""

    htmx: HtmxDetails


def _filter_query(request: HttpRequest) -> str:
    """The current filters as a query string without `page`, for pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
@role_required(*LOG_READERS)
def access_log_page(request: HtmxHttpRequest) -> HttpResponse:
    form = AccessLogFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    query = _filter_query(request)
    page = reads.access_log_read(
        actor=request.user, query=query, page=request.GET.get("page"), **filters
    )
    template = "audit/accessevent_log.html" + ("#event-rows" if request.htmx else "")
    return render(request, template, {"form": form, "page": page, "query": query})


@require_GET
@role_required(*LOG_READERS)
def client_report_page(request: HttpRequest, client_public_id: UUID) -> HttpResponse:
    events = reads.client_access_report_read(actor=request.user, client_public_id=client_public_id)
    page = Paginator(events, reads.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/accessevent_client_report.html",
        {"page": page, "client_public_id": client_public_id},
    )


def _csv_line(event: AccessEvent) -> list:
    return [
        timezone.localtime(event.occurred_at).isoformat(timespec="seconds"),
        event.username,
        event.role,
        str(event.get_action_display()),
        event.part,
        event.detail,
        event.ip_address or "",
    ]


def _in_language(language: str, lines: Iterator[str]) -> Iterator[str]:
    """Stream `lines` in the request's language: the rows are written while the response is
    sent, after the view (and the middleware that chose the language) has returned."""
    while True:
        with translation.override(language):
            line = next(lines, None)
        if line is None:
            return
        yield line


@require_GET
@role_required(*LOG_READERS)
def client_report_csv(request: HttpRequest, client_public_id: UUID) -> StreamingHttpResponse:
    events = reads.client_access_report_csv_read(
        actor=request.user, client_public_id=client_public_id
    )
    language = translation.get_language()
    lines = _in_language(
        language,
        reader_csv_rows([CSV_HEADER, *(_csv_line(e) for e in events)], language=language),
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="access-{client_public_id}.csv"'
    return response


@require_GET
@role_required(*LOG_READERS)
def client_report_pdf(request: HttpRequest, client_public_id: UUID) -> HttpResponse:
    pdf = reads.client_access_report_pdf(actor=request.user, client_public_id=client_public_id)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="access-{client_public_id}.pdf"'
    return response
