"""Outcome report pages: ask for a report, watch it, read it, download CSV/PDF."""

import datetime as dt
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from buurtzorg.access import role_required
from buurtzorg.forms import add_service_errors
from buurtzorg.paging import page_without_count
from omaha.reports import reads, selectors, services
from omaha.reports.forms import ReportForm
from teams.http import AuthenticatedHttpRequest


def _form(request: AuthenticatedHttpRequest, data: QueryDict | None = None) -> ReportForm:
    today = timezone.localdate()
    first = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    return ReportForm(
        data,
        teams=selectors.report_teams_for(user=request.user),
        neighbourhoods=selectors.report_neighbourhoods_for(user=request.user),
        initial={"period_start": first.replace(month=1), "period_end": today, "scope": "team"},
    )


@require_http_methods(["GET", "POST"])
@role_required(*selectors.REPORT_ROLES)
def report_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = _form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.outcome_report_request(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The report is being prepared."))
            return redirect(report.get_absolute_url())
    reports = selectors.report_list_visible(user=request.user)
    page = page_without_count(reports, request.GET.get("page"), 25)
    return render(request, "reports/report_list.html", {"form": form, "page": page})


@require_GET
@role_required(*selectors.REPORT_ROLES)
def report_detail(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    report = reads.report_open(actor=request.user, public_id=public_id)
    return render(request, "reports/report_detail.html", {"report": report})


@require_GET
@role_required(*selectors.REPORT_ROLES)
def report_progress(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    report = selectors.report_get_visible(user=request.user, public_id=public_id)
    response = render(request, "reports/report_detail.html#report-progress", {"report": report})
    if not report.is_working and request.GET.get("was") == "working":
        response["HX-Refresh"] = "true"
    return response


@require_GET
@role_required(*selectors.REPORT_ROLES)
def report_download(request: AuthenticatedHttpRequest, public_id: UUID, kind: str) -> FileResponse:
    download = reads.report_file_open(actor=request.user, public_id=public_id, kind=kind)
    return FileResponse(download.file.open("rb"), as_attachment=True, filename=download.filename)
