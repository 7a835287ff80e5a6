"""Indication hours pages: a client's last 8 weeks and a team's week (issue 16, item 3)."""

from uuid import UUID

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from buurtzorg.access import role_required
from scheduling import reads
from scheduling.selectors import rota_team_choices
from teams.http import AuthenticatedHttpRequest
from teams.models import Role


@require_GET
@role_required(Role.NURSE, Role.COACH)
def client_hours_page(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    hours = reads.client_hours_read(actor=request.user, public_id=public_id)
    return render(request, "scheduling/hours_client.html", {"hours": hours})


@require_GET
@role_required(Role.NURSE, Role.COACH)
def team_hours_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    raw = request.GET.get("team")
    try:
        team_public_id = UUID(raw) if raw else None
    except ValueError as exc:
        raise Http404 from exc
    hours = reads.team_hours_read(actor=request.user, team_public_id=team_public_id)
    return render(
        request,
        "scheduling/hours_team.html",
        {"hours": hours, "teams": rota_team_choices(user=request.user, team=hours.team)},
    )
