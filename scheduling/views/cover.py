"""Night cover between two teams, by consent: one team proposes, the other accepts, either
removes. Thin adapters: the rules and their messages live in `scheduling.services.rota`."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from buurtzorg.access import role_required
from buurtzorg.forms import add_service_errors
from scheduling.forms import CoverArrangementForm
from scheduling.models import CoverStatus
from scheduling.selectors import (
    cover_arrangement_get_for_nurse,
    rota_can_edit,
    rota_team_get_visible,
    team_cover_arrangements,
)
from scheduling.services import rota as services
from teams.http import AuthenticatedHttpRequest
from teams.models import Role, Team


def _cover_url(team: Team) -> str:
    return reverse("scheduling:cover-arrangements") + f"?team={team.public_id}"


def _done(request: AuthenticatedHttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _own_team(request: AuthenticatedHttpRequest) -> Team:
    """The team named in the request (or hers): only its own nurses arrange its cover."""
    raw = request.GET.get("team") or request.POST.get("team")
    try:
        public_id = UUID(raw) if raw else None
    except ValueError as exc:
        raise Http404 from exc
    team = rota_team_get_visible(user=request.user, public_id=public_id)
    if not rota_can_edit(user=request.user, team=team):
        raise Http404
    return team


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE)
def cover_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The team's arrangements either way, and the form to propose covering another team."""
    team = _own_team(request)
    form = CoverArrangementForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        try:
            services.cover_arrangement_create(
                covering_team=team, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Cover proposed; it counts once the other team accepts."))
            return _done(request, _cover_url(team))
    arrangements = list(team_cover_arrangements(team=team).order_by("valid_from", "pk"))
    return render(
        request,
        "scheduling/cover_list.html",
        {
            "team": team,
            "form": form,
            "arrangements": arrangements,
            "proposed": CoverStatus.PROPOSED,
        },
    )


@require_POST
@role_required(Role.NURSE)
def cover_accept_page(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    arrangement = cover_arrangement_get_for_nurse(user=request.user, public_id=public_id)
    try:
        services.cover_arrangement_accept(arrangement=arrangement, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Cover accepted: it now counts for your rota."))
    return _done(request, _cover_url(arrangement.covered_team))


@require_POST
@role_required(Role.NURSE)
def cover_remove_page(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    arrangement = cover_arrangement_get_for_nurse(user=request.user, public_id=public_id)
    own = rota_team_get_visible(user=request.user)
    try:
        services.cover_arrangement_remove(arrangement=arrangement, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Cover arrangement removed."))
    return _done(request, _cover_url(own))
