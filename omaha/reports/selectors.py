"""Who may see and who may ask for which outcome report: the one place that decides it
(404 for everyone else, pages, API and downloads alike; `services.outcome_report_request`
asks `report_may_ask` and `report_may_ask_per_client`).

- back office and administrators: every aggregate report (never a per-client one), about any
  team, neighbourhood or the whole organisation;
- a coach: aggregate reports about the teams she coaches;
- a nurse: reports about her own active team, including per-client reports of that team.

"Her team" and "the teams she coaches" are `Team.objects.visible_to` / `team_scope_q`.
"""

from uuid import UUID

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from omaha.reports.models import OutcomeReport, ReportScope
from teams.models import Neighbourhood, Role, Team, User, team_scope_q

REPORT_ROLES = (Role.BACK_OFFICE, Role.ADMIN, Role.COACH, Role.NURSE)
OFFICE_ROLES = (Role.BACK_OFFICE, Role.ADMIN)


def _is_office(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.role in OFFICE_ROLES


def report_list_visible(*, user: User) -> QuerySet[OutcomeReport]:
    reports = OutcomeReport.objects.select_related("team", "neighbourhood", "requested_by")
    if _is_office(user):
        return reports.filter(per_client=False)
    scope = team_scope_q(user, prefix="team__")
    if scope is None:
        return reports.none()
    reports = reports.filter(scope, scope=ReportScope.TEAM)
    return reports if user.role == Role.NURSE else reports.filter(per_client=False)


def report_get_visible(*, user: User, public_id: UUID | str) -> OutcomeReport:
    return get_object_or_404(report_list_visible(user=user), public_id=public_id)


def report_teams_for(*, user: User) -> QuerySet[Team]:
    """Teams `user` may ask a report about."""
    teams = Team.objects.order_by("name")
    return teams if _is_office(user) else teams.visible_to(user)


def report_neighbourhoods_for(*, user: User) -> QuerySet[Neighbourhood]:
    if _is_office(user):
        return Neighbourhood.objects.order_by("name")
    return Neighbourhood.objects.none()


def report_may_ask(
    *, user: User, scope: str, team: Team | None, neighbourhood: Neighbourhood | None
) -> bool:
    """Whether `user` may ask for an aggregate report of this scope (the form's choices)."""
    if scope == ReportScope.TEAM:
        return team is not None and report_teams_for(user=user).filter(pk=team.pk).exists()
    if scope == ReportScope.NEIGHBOURHOOD:
        return (
            neighbourhood is not None
            and report_neighbourhoods_for(user=user).filter(pk=neighbourhood.pk).exists()
        )
    return _is_office(user)  # the whole organisation


def report_may_ask_per_client(*, user: User, team: Team | None) -> bool:
    """Reports with client names: only nurses of that team."""
    return (
        user.role == Role.NURSE
        and team is not None
        and Team.objects.visible_to(user).filter(pk=team.pk).exists()
    )
