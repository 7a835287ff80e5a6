"""Pages: a client's timeline, the report form (new, at a visit, a change) and the handover."""

import datetime as dt
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from buurtzorg.access import role_required
from buurtzorg.forms import add_service_errors
from scheduling.carenotes import reads, services
from scheduling.carenotes.forms import ReportEditForm, ReportForm, TimelineFilterForm
from teams.http import AuthenticatedHttpRequest
from teams.models import Role


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _uuid(raw: str | None) -> UUID | None:
    try:
        return UUID(raw) if raw else None
    except ValueError:
        return None


@require_GET
@role_required(Role.NURSE, Role.COACH)
def timeline_page(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """The client's reports, newest first, with filters; "older" pages by keyset."""
    get = request.GET
    problem = get.get("problem", "")
    problem = problem if problem == "general" or _uuid(problem) else ""
    author = get.get("author", "") if _uuid(get.get("author")) else ""
    timeline = reads.client_timeline_read(
        actor=request.user,
        public_id=public_id,
        problem=problem,
        author=author,
        start=_date(get.get("start")),
        end=_date(get.get("end")),
        query=get.get("q", "")[:100],
        cursor=get.get("before", ""),
    )
    filters = TimelineFilterForm(get or None)
    filters.fields["problem"].choices = [  # type: ignore[attr-defined]
        ("", _("All")),
        ("general", _("General notes")),
        *((str(p.public_id), p.problem.name) for p in timeline.problems),
    ]
    filters.fields["author"].choices = [  # type: ignore[attr-defined]
        ("", _("All")),
        *(
            (str(a["public_id"]), f"{a['first_name']} {a['last_name']}".strip() or a["username"])
            for a in timeline.authors
        ),
    ]
    query = get.copy()
    query.pop("before", None)
    if timeline.next_cursor:
        query["before"] = timeline.next_cursor
    return render(
        request,
        "carenotes/report_timeline.html",
        {
            "timeline": timeline,
            "client_record": timeline.client,
            "filters": filters,
            "older_query": query.urlencode() if timeline.next_cursor else "",
            "paged": bool(get.get("before")),
        },
    )


def _back(request: AuthenticatedHttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE)
def report_create_page(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """Write a report (at a visit with `?visit=`, as the visit page's report forms post here).

    A refused save shows this form again with every field as typed and the message at its
    field; nothing is stored (the service is all or nothing).
    """
    visit_id = _uuid(request.GET.get("visit") or request.POST.get("visit"))
    if request.method == "POST":
        gate = reads.report_form_get(actor=request.user, public_id=public_id, visit_id=visit_id)
    else:
        gate = reads.report_form_open(actor=request.user, public_id=public_id, visit_id=visit_id)
    initial = {
        "written_at": timezone.localtime().replace(second=0, microsecond=0),
        "client_problem": request.GET.get("problem", ""),
    }
    form = ReportForm(request.POST or None, problems=gate.problems, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.care_report_write(
                client=gate.client,
                actor=request.user,
                text=data["text"],
                visit=gate.visit,
                client_problem=form.problem(),
                written_at=data["written_at"],
                rating=form.rating(),
                **form.soap(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Report saved."))
            if gate.visit is not None:
                return _back(request, reverse("scheduling:visit-log", args=[gate.visit.public_id]))
            return _back(request, reverse("carenotes:timeline", args=[gate.client.public_id]))
    if request.method == "POST":
        reads.report_form_reshown(actor=request.user, form=gate)
    return render(
        request,
        "carenotes/report_form.html",
        {"form": form, "client_record": gate.client, "visit": gate.visit},
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE)
def report_edit_page(
    request: AuthenticatedHttpRequest, public_id: UUID, report_id: UUID
) -> HttpResponse:
    """Change her report: in place within 15 minutes, after that as a new entry that replaces
    it (the service decides; the page says which will happen)."""
    if request.method == "POST":
        gate = reads.report_form_get(actor=request.user, public_id=public_id, report_id=report_id)
    else:
        gate = reads.report_form_open(actor=request.user, public_id=public_id, report_id=report_id)
    report = gate.report
    assert report is not None
    initial = {
        "text": report.text,
        "subjective": report.subjective,
        "objective": report.objective,
        "assessment": report.assessment,
        "plan": report.plan,
        "for_handover": report.for_handover,
    }
    form = ReportEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.care_report_revise(report=report, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Report saved."))
            return _back(request, reverse("carenotes:timeline", args=[gate.client.public_id]))
    if request.method == "POST":
        reads.report_form_reshown(actor=request.user, form=gate)
    in_place = timezone.now() - report.created_at <= services.EDIT_WINDOW
    return render(
        request,
        "carenotes/report_edit.html",
        {"form": form, "client_record": gate.client, "report": report, "in_place": in_place},
    )


@require_GET
@role_required(Role.NURSE)
def handover_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    handover = reads.handover_read(actor=request.user, since=request.GET.get("since", "shift"))
    return render(
        request,
        "carenotes/handover_list.html",
        {"handover": handover, "since_choices": reads.SINCE_CHOICES},
    )


@require_POST
@role_required(Role.NURSE)
def handover_read_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One tap: mark an item read. htmx swaps the item's button; without JS, back to the page."""
    key = request.POST.get("key", "")
    if key:
        services.handover_mark_read(actor=request.user, item_key=key)
    if request.htmx:
        return render(request, "carenotes/handover_list.html#read-mark", {"read": True})
    since = request.POST.get("since", "shift")
    return redirect(reverse("carenotes:handover") + f"?since={since if since.isalnum() else ''}")
