"""Administrator pages over the access log. Reading the log is itself logged (one row each)."""

from uuid import UUID

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from buurtzorg.access import role_required
from buurtzorg.audit.forms import AccessLogFilterForm
from buurtzorg.audit.models import AccessEvent, Action
from buurtzorg.audit.pdf import render_pdf
from buurtzorg.audit.selectors import access_event_list, client_access_report
from buurtzorg.audit.services import audit_record
from buurtzorg.csvsafe import csv_rows
from buurtzorg.paging import page_without_count
from buurtzorg.roles import Role

PAGE_SIZE = 50
CSV_HEADER = ["occurred_at", "username", "role", "action", "part", "detail", "ip_address"]


def _filter_query(request: HttpRequest) -> str:
    """The current filters as a query string without `page`, for pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
@role_required(Role.ADMIN)
def access_log_page(request: HttpRequest) -> HttpResponse:
    form = AccessLogFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    query = _filter_query(request)
    audit_record(
        request=request,
        action=Action.AUDIT_VIEW,
        client_public_id=filters.get("client_public_id"),
        part="audit-log",
        detail=query,
    )
    # No COUNT(*) of the whole log per view: it grows by a row for every record opened.
    page = page_without_count(access_event_list(**filters), request.GET.get("page"), PAGE_SIZE)
    template = "audit/accessevent_log.html" + ("#event-rows" if request.htmx else "")
    return render(request, template, {"form": form, "page": page, "query": query})


@require_GET
@role_required(Role.ADMIN)
def client_report_page(request: HttpRequest, client_public_id: UUID) -> HttpResponse:
    audit_record(
        request=request,
        action=Action.AUDIT_VIEW,
        client_public_id=client_public_id,
        part="who-saw-my-record",
        detail="page",
    )
    events = client_access_report(client_public_id=client_public_id)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
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
        event.get_action_display(),
        event.part,
        event.detail,
        event.ip_address or "",
    ]


@require_GET
@role_required(Role.ADMIN)
def client_report_csv(request: HttpRequest, client_public_id: UUID) -> StreamingHttpResponse:
    audit_record(
        request=request,
        action=Action.AUDIT_VIEW,
        client_public_id=client_public_id,
        part="who-saw-my-record",
        detail="csv",
    )
    events = client_access_report(client_public_id=client_public_id).iterator(chunk_size=2000)
    lines = csv_rows([CSV_HEADER, *(_csv_line(e) for e in events)])
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="access-{client_public_id}.csv"'
    return response


@require_GET
@role_required(Role.ADMIN)
def client_report_pdf(request: HttpRequest, client_public_id: UUID) -> HttpResponse:
    audit_record(
        request=request,
        action=Action.AUDIT_VIEW,
        client_public_id=client_public_id,
        part="who-saw-my-record",
        detail="pdf",
    )
    events = client_access_report(client_public_id=client_public_id)
    pdf = render_pdf(
        "audit/accessevent_client_report_pdf.html",
        {
            "events": events.iterator(chunk_size=2000),
            "client_public_id": client_public_id,
            "generated_at": timezone.localtime(),
            "generated_by": request.user,
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="access-{client_public_id}.pdf"'
    return response
