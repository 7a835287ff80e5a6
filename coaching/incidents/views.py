"""Incident pages: the team's list, filing, one incident with its actions, the coach's counts."""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from buurtzorg.access import role_required
from buurtzorg.forms import add_service_errors
from coaching.incidents import reads, services
from coaching.incidents.forms import IncidentActionForm, IncidentForm
from coaching.incidents.selectors import incident_client_choices
from teams.http import AuthenticatedHttpRequest
from teams.models import Role


@require_GET
@role_required(Role.NURSE)
def incident_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    incidents = reads.incident_list_read(actor=request.user)
    return render(request, "incidents/incident_list.html", {"incidents": incidents})


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE)
def incident_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The filing form. A refused POST stored nothing (its access row went with it), so the
    page is read again through `incident_form_open` (one row) to show the errors."""
    if request.method == "POST":
        form = IncidentForm(request.POST, clients=incident_client_choices(user=request.user))
        if form.is_valid():
            data = form.cleaned_data
            try:
                incident = services.incident_file(
                    actor=request.user,
                    kind=data["kind"],
                    occurred_on=data["occurred_on"],
                    description=data["description"],
                    client_public_id=UUID(data["client"]) if data["client"] else None,
                    show_author=data["show_author"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect(incident.get_absolute_url())
        reads.incident_form_open(actor=request.user)
    else:
        clients = reads.incident_form_open(actor=request.user)
        form = IncidentForm(clients=clients, initial={"occurred_on": timezone.localdate()})
    return render(request, "incidents/incident_form.html", {"form": form})


@require_GET
@role_required(Role.NURSE)
def incident_detail(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    incident = reads.incident_open(actor=request.user, public_id=public_id)
    return render(
        request,
        "incidents/incident_detail.html",
        {"incident": incident, "form": IncidentActionForm()},
    )


@require_POST
@role_required(Role.NURSE)
def incident_action_add(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    form = IncidentActionForm(request.POST)
    if form.is_valid():
        try:
            services.incident_action_add(
                actor=request.user, public_id=public_id, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(reverse("incidents:detail", args=[public_id]))
    incident = reads.incident_open(actor=request.user, public_id=public_id)
    return render(request, "incidents/incident_detail.html", {"incident": incident, "form": form})


@require_POST
@role_required(Role.NURSE)
def incident_close(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    try:
        services.incident_close(actor=request.user, public_id=public_id)
    except ValidationError as exc:
        incident = reads.incident_open(actor=request.user, public_id=public_id)
        # A bound (empty) form: an unbound one has no cleaned_data to carry the refusal.
        form = IncidentActionForm(data={})
        form.is_valid()
        form.add_error(None, exc)
        return render(
            request, "incidents/incident_detail.html", {"incident": incident, "form": form}
        )
    return redirect(reverse("incidents:detail", args=[public_id]))


@require_GET
@role_required(Role.COACH)
def incident_trends(request: AuthenticatedHttpRequest) -> HttpResponse:
    trends = reads.incident_trends_read(actor=request.user, today=timezone.localdate())
    return render(request, "incidents/incident_trends.html", {"trends": trends})
