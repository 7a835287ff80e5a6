"""Reads that decide who may see which part of the rota and which visits.

Nurses see their own team's rota; coaches read their teams'; back office and administrators
see no clinical planning at all (404).
"""

import datetime as dt
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from scheduling.models import CoverageRule, CoverArrangement, Leave, Shift
from teams.models import Membership, Role, Team, User


def rota_team_list_visible(*, user: User) -> QuerySet[Team]:
    """Teams whose rota `user` may read."""
    teams = Team.objects.select_related("neighbourhood").order_by("name")
    if user.role == Role.NURSE:
        return teams.filter(memberships__nurse=user, memberships__ended_on__isnull=True)
    if user.role == Role.COACH:
        return teams.filter(coach_assignments__coach=user)
    return teams.none()


def rota_team_get_visible(*, user: User, public_id: UUID | None = None) -> Team:
    """The team asked for, or the user's first visible team. 404 when there is none."""
    teams = rota_team_list_visible(user=user)
    if public_id:
        return get_object_or_404(teams, public_id=public_id)
    team = teams.first()
    if team is None:
        raise Http404
    return team


def rota_can_edit(*, user: User, team: Team) -> bool:
    """Teams plan themselves: only the team's own nurses change its rota (coaches read)."""
    return (
        user.role == Role.NURSE
        and Membership.objects.filter(nurse=user, team=team, ended_on__isnull=True).exists()
    )


def shift_list_visible(*, user: User) -> QuerySet[Shift]:
    return (
        Shift.objects.filter(team__in=rota_team_list_visible(user=user).values("pk"))
        .select_related("nurse", "team")
        .order_by("starts_at", "pk")
    )


def shift_get_visible(*, user: User, public_id: UUID) -> Shift:
    return get_object_or_404(shift_list_visible(user=user), public_id=public_id)


def team_nurses(*, team: Team) -> QuerySet[User]:
    """Active nurses of the team, in seat order."""
    return User.objects.filter(memberships__team=team, memberships__ended_on__isnull=True).order_by(
        "memberships__seat"
    )


def team_week_shifts(*, team: Team, start: dt.datetime, end: dt.datetime) -> QuerySet[Shift]:
    return (
        Shift.objects.filter(team=team, starts_at__lt=end, ends_at__gt=start)
        .select_related("nurse")
        .order_by("starts_at")
    )


def team_leaves(*, team: Team, start: dt.datetime, end: dt.datetime) -> QuerySet[Leave]:
    return (
        Leave.objects.filter(
            nurse__memberships__team=team,
            nurse__memberships__ended_on__isnull=True,
            starts_at__lt=end,
            ends_at__gt=start,
        )
        .select_related("nurse")
        .order_by("starts_at")
    )


def team_coverage_rules(*, team: Team) -> QuerySet[CoverageRule]:
    return team.coverage_rules.order_by("starts_at")


def team_cover_arrangements(*, team: Team) -> QuerySet[CoverArrangement]:
    return CoverArrangement.objects.filter(
        Q(covered_team=team) | Q(covering_team=team)
    ).select_related("covering_team", "covered_team")
