"""Administrator pages for neighbourhoods, teams, memberships and accounts."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from buurtzorg.access import role_required
from buurtzorg.forms import add_service_errors
from buurtzorg.paging import page_without_count
from teams import services
from teams.forms import (
    AddNurseForm,
    CoachForm,
    EndMembershipForm,
    NeighbourhoodForm,
    OrganisationForm,
    TeamForm,
    UserCreateForm,
    UserUpdateForm,
)
from teams.http import AuthenticatedHttpRequest
from teams.models import Membership, Neighbourhood, Organisation, Role, Team, User
from teams.names import NAME_ORDER
from teams.selectors import (
    neighbourhood_list,
    organisation_details,
    team_get_visible,
    team_list_visible,
    team_members,
)


def _done(request: AuthenticatedHttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_GET
@role_required(Role.ADMIN)
def neighbourhood_list_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request, "teams/neighbourhood_list.html", {"neighbourhoods": neighbourhood_list()}
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def neighbourhood_form_page(
    request: AuthenticatedHttpRequest, public_id: UUID | None = None
) -> HttpResponse:
    neighbourhood = get_object_or_404(Neighbourhood, public_id=public_id) if public_id else None
    initial = (
        {
            "name": neighbourhood.name,
            "population_estimate": neighbourhood.population_estimate,
            "postcodes": ", ".join(p.code for p in neighbourhood.postcode_areas.all()),
        }
        if neighbourhood
        else {}
    )
    form = NeighbourhoodForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.parse_postcodes(form.cleaned_data["postcodes"])
            data = {
                "name": form.cleaned_data["name"],
                "postcodes": codes,
                "population_estimate": form.cleaned_data["population_estimate"],
            }
            if neighbourhood:
                saved = services.neighbourhood_update(neighbourhood=neighbourhood, **data)
            else:
                saved = services.neighbourhood_create(**data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Neighbourhood %(name)s saved.") % {"name": saved.name})
            if saved.is_over_population_limit:
                messages.warning(
                    request,
                    _(
                        "%(name)s has over 10,000 inhabitants: a Buurtzorg team serves a "
                        "smaller neighbourhood. Consider splitting it."
                    )
                    % {"name": saved.name},
                )
            return _done(request, reverse("teams:neighbourhood-list"))
    template = "teams/neighbourhood_form.html" + ("#neighbourhood-form" if request.htmx else "")
    return render(request, template, {"form": form, "neighbourhood": neighbourhood})


@require_GET
@role_required(Role.ADMIN, Role.COACH, Role.BACK_OFFICE, Role.NURSE)
def team_list_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    teams = team_list_visible(user=request.user)
    query = request.GET.get("q", "").strip()
    if query:
        teams = teams.filter(Q(name__icontains=query) | Q(neighbourhood__name__icontains=query))
    page = page_without_count(teams, request.GET.get("page"), 50)
    template = "teams/team_list.html" + ("#team-rows" if request.htmx else "")
    return render(request, template, {"page": page, "q": query, "max_nurses": Team.MAX_NURSES})


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def team_create_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(**form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Team %(team)s created.") % {"team": team.name})
            return _done(request, team.get_absolute_url())
    return render(request, "teams/team_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def team_edit_page(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    team = get_object_or_404(Team, public_id=public_id)
    form = TeamForm(
        request.POST or None,
        initial={
            "name": team.name,
            "neighbourhood": team.neighbourhood,
            "is_active": team.is_active,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_update(team=team, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Team %(team)s saved.") % {"team": team.name})
            return _done(request, team.get_absolute_url())
    return render(request, "teams/team_form.html", {"form": form, "team": team})


@require_GET
@role_required(Role.ADMIN, Role.COACH, Role.NURSE, Role.BACK_OFFICE)
def team_detail_page(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    team = team_get_visible(user=request.user, public_id=public_id)
    return render(request, "teams/team_detail.html", _team_context(request, team))


def _team_context(
    request: AuthenticatedHttpRequest,
    team: Team,
    add_form: AddNurseForm | None = None,
    coach_form: CoachForm | None = None,
) -> dict:
    members = list(team_members(team=team))
    active = [m for m in members if m.ended_on is None]
    return {
        "team": team,
        "active_members": active,
        "past_members": [m for m in members if m.ended_on is not None],
        "is_full": len(active) >= Team.MAX_NURSES,
        "max_nurses": Team.MAX_NURSES,
        "add_form": add_form or AddNurseForm(),
        "coach_form": coach_form or CoachForm(),
        "coaches": team.coaches.all(),
        "can_manage": request.user.role == Role.ADMIN,
    }


@require_POST
@role_required(Role.ADMIN)
def team_add_nurse_page(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    team = get_object_or_404(Team, public_id=public_id)
    form = AddNurseForm(request.POST)
    if form.is_valid():
        try:
            membership = services.team_add_nurse(team=team, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(nurse)s joined %(team)s.") % {"nurse": membership.nurse, "team": team.name},
            )
            return _done(request, team.get_absolute_url())
    template = "teams/team_detail.html" + ("#members" if request.htmx else "")
    return render(request, template, _team_context(request, team, add_form=form))


@require_POST
@role_required(Role.ADMIN)
def membership_end_page(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    membership = get_object_or_404(Membership.objects.select_related("team"), public_id=public_id)
    form = EndMembershipForm(request.POST)
    if form.is_valid():
        try:
            services.membership_end(membership=membership, ended_on=form.cleaned_data["ended_on"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("Membership of %(nurse)s ended.") % {"nurse": membership.nurse}
            )
    else:
        messages.error(request, _("Give a valid end date."))
    return _done(request, membership.team.get_absolute_url())


@require_POST
@role_required(Role.ADMIN)
def team_coach_page(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    team = get_object_or_404(Team, public_id=public_id)
    if "remove" in request.POST:
        coach = get_object_or_404(User, pk=request.POST["remove"], role=Role.COACH)
        services.coach_unassign(team=team, coach=coach)
        messages.success(
            request,
            _("%(coach)s no longer coaches %(team)s.") % {"coach": coach, "team": team.name},
        )
        return _done(request, team.get_absolute_url())
    form = CoachForm(request.POST)
    if form.is_valid():
        try:
            services.coach_assign(team=team, coach=form.cleaned_data["coach"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(coach)s now coaches %(team)s.")
                % {"coach": form.cleaned_data["coach"], "team": team.name},
            )
            return _done(request, team.get_absolute_url())
    return render(request, "teams/team_detail.html", _team_context(request, team, coach_form=form))


@require_GET
@role_required(Role.ADMIN)
def user_list_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    users = User.objects.order_by("role", *NAME_ORDER, "id")
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(name_prefix__icontains=query)
            | Q(last_name__icontains=query)
        )
    role = request.GET.get("role", "")
    if role in Role.values:
        users = users.filter(role=role)
    page = page_without_count(users, request.GET.get("page"), 50)
    template = "teams/user_list.html" + ("#user-rows" if request.htmx else "")
    return render(
        request, template, {"page": page, "q": query, "role": role, "roles": Role.choices}
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def user_create_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(**form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Account %(username)s created.") % {"username": user.username}
            )
            return _done(request, reverse("teams:user-list"))
    return render(request, "teams/user_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def user_edit_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    form = UserUpdateForm(
        request.POST or None,
        initial={
            "initials": account.initials,
            "first_name": account.first_name,
            "name_prefix": account.name_prefix,
            "last_name": account.last_name,
            "sex": account.sex,
            "email": account.email,
            "role": account.role,
            "is_active": account.is_active,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(user=account, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Account %(username)s saved.") % {"username": account.username}
            )
            return _done(request, reverse("teams:user-list"))
    return render(request, "teams/user_form.html", {"form": form, "account": account})


# --- the organisation's own details (back office and administrators) ---------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.BACK_OFFICE, Role.ADMIN)
def organisation_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = organisation_details()
    initial = {name: getattr(organisation, name) for name in Organisation.DETAIL_FIELDS}
    initial["iban"] = organisation.iban_display
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The organisation's details are saved."))
            return _done(request, reverse("teams:organisation"))
    template = "teams/organisation_form.html" + (
        "#organisation-form" if request.htmx and request.method == "POST" else ""
    )
    return render(request, template, {"form": form, "organisation": organisation})
