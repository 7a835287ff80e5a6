"""Who may see which outcome report (404 for everyone else, pages, API and downloads alike).

- back office and administrators: every aggregate report (never a per-client one);
- a coach: aggregate reports about the teams she coaches;
- a nurse: reports about her own active team, including per-client reports of that team.
"""

from uuid import UUID

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from omaha.reports.models import OutcomeReport, ReportScope
from teams.models import Membership, Neighbourhood, Role, Team, User

REPORT_ROLES = (Role.BACK_OFFICE, Role.ADMIN, Role.COACH, Role.NURSE)


def report_list_visible(*, user: User) -> QuerySet[OutcomeReport]:
    reports = OutcomeReport.objects.select_related("team", "neighbourhood", "requested_by")
    if not (user.is_authenticated and user.is_active):
        return reports.none()
    if user.role in (Role.BACK_OFFICE, Role.ADMIN):
        return reports.filter(per_client=False)
    if user.role == Role.COACH:
        return reports.filter(
            scope=ReportScope.TEAM, per_client=False, team__coach_assignments__coach=user
        )
    if user.role == Role.NURSE:
        team_ids = Membership.objects.filter(nurse=user, ended_on__isnull=True).values("team_id")
        return reports.filter(Q(scope=ReportScope.TEAM) & Q(team_id__in=team_ids))
    return reports.none()


def report_get_visible(*, user: User, public_id: UUID | str) -> OutcomeReport:
    return get_object_or_404(report_list_visible(user=user), public_id=public_id)


def report_teams_for(*, user: User) -> QuerySet[Team]:
    """Teams `user` may ask a report about."""
    teams = Team.objects.order_by("name")
    if user.role in (Role.BACK_OFFICE, Role.ADMIN):
        return teams
    if user.role == Role.COACH:
        return teams.filter(coach_assignments__coach=user)
    if user.role == Role.NURSE:
        return teams.filter(memberships__nurse=user, memberships__ended_on__isnull=True)
    return teams.none()


def report_neighbourhoods_for(*, user: User) -> QuerySet[Neighbourhood]:
    if user.role in (Role.BACK_OFFICE, Role.ADMIN):
        return Neighbourhood.objects.order_by("name")
    return Neighbourhood.objects.none()
