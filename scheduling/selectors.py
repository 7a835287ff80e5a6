"""Reads that decide who may see which part of the rota and which visits.

Nurses see their own team's rota; coaches read their teams'; back office and administrators
see no clinical planning at all (404).
"""

import datetime as dt
from uuid import UUID

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from scheduling.models import (
    CalendarToken,
    CoverageRule,
    CoverArrangement,
    Leave,
    Shift,
    Visit,
    VisitSeries,
    VisitStatus,
)
from teams.models import Membership, Role, Team, User


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    from scheduling.services.rota import local_datetime  # noqa: PLC0415

    return local_datetime(day, dt.time()), local_datetime(day + dt.timedelta(days=1), dt.time())


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


def rota_team_choices(*, user: User, team: Team) -> list[Team] | QuerySet[Team]:
    """Teams for the page's team picker: a nurse has one active team, so no query for her."""
    return [team] if user.role == Role.NURSE else rota_team_list_visible(user=user)


def rota_can_edit_visible(*, user: User, team: Team) -> bool:
    """For a team obtained through `rota_team_get_visible`: a nurse sees only her own team's
    rota there, so she may edit it; coaches only read. Saves the membership query."""
    return user.role == Role.NURSE


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


def assignable_nurses() -> QuerySet[User]:
    """Nurses a visit may be offered to. Deliberately wide: which of them may take a given
    visit depends on its team and day (members, covering teams, leave), and that rule and its
    message live in `scheduling.services.visits.visit_assign`."""
    return User.objects.filter(role=Role.NURSE, is_active=True)


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


# --- visits ---------------------------------------------------------------------------------


def visit_list_visible(*, user: User) -> QuerySet[Visit]:
    """Visits `user` may read: her team's (and any assigned to her), or a coach's teams'."""
    visits = Visit.objects.select_related("client", "nurse", "team", "service")
    if not (user.is_authenticated and user.is_active):
        return visits.none()
    if user.role == Role.NURSE:
        teams = Membership.objects.filter(nurse=user, ended_on__isnull=True).values("team_id")
        return visits.filter(Q(team_id__in=teams) | Q(nurse=user))
    if user.role == Role.COACH:
        return visits.filter(team__coach_assignments__coach=user)
    return visits.none()


def visit_get_visible(*, user: User, public_id: UUID) -> Visit:
    return get_object_or_404(visit_list_visible(user=user), public_id=public_id)


def visit_get_own(*, user: User, public_id: UUID) -> Visit:
    """A visit assigned to `user`: the only ones she may start and log (others are 404)."""
    if user.role != Role.NURSE:
        raise Http404
    return get_object_or_404(
        Visit.objects.select_related("client", "service"), public_id=public_id, nurse=user
    )


def my_day_visits(*, nurse: User, day: dt.date) -> list[Visit]:
    """Today's round in order, with everything the page shows, in a fixed number of queries."""
    from clients.models import ClientProblem, Intervention, ProblemStatus  # noqa: PLC0415

    start, end = day_bounds(day)
    return list(
        Visit.objects.filter(
            nurse=nurse, corrects__isnull=True, starts_at__gte=start, starts_at__lt=end
        )
        .exclude(status=VisitStatus.CANCELLED)
        .select_related("client", "service")
        .prefetch_related(
            Prefetch(
                "planned_interventions",
                queryset=Intervention.objects.select_related(
                    "category", "target", "client_problem__problem"
                ),
            ),
            Prefetch(
                "client__problems",
                queryset=ClientProblem.objects.filter(status=ProblemStatus.ACTIVE)
                .select_related("problem")
                .order_by("priority", "problem__number"),
                to_attr="active_problems",
            ),
        )
        .order_by("starts_at")
    )


def team_week_visits(*, team: Team, start: dt.datetime, end: dt.datetime) -> list[dict]:
    """Plain rows with only what the planning grid shows: a team's week is several hundred
    visits, and building model instances for them costs more than the query."""
    return list(
        Visit.objects.filter(
            team=team, corrects__isnull=True, starts_at__gte=start, starts_at__lt=end
        )
        .exclude(status=VisitStatus.CANCELLED)
        .order_by("starts_at")
        .values(
            "public_id",
            "starts_at",
            "status",
            "nurse_id",
            "planned_minutes",
            "client__first_name",
            "client__last_name",
        )
    )


def nurse_feed_visits(*, nurse: User, start: dt.datetime, end: dt.datetime) -> QuerySet[Visit]:
    return (
        Visit.objects.filter(
            nurse=nurse, corrects__isnull=True, starts_at__gte=start, starts_at__lt=end
        )
        .exclude(status=VisitStatus.CANCELLED)
        .select_related("client")
        .order_by("starts_at")
    )


def calendar_token_user(*, token: str) -> User:
    """The owner of a live feed token; 404 for a wrong or revoked one."""
    row = (
        CalendarToken.objects.filter(token=token, revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if row is None or not row.user.is_active:
        raise Http404
    return row.user


def series_list_visible(*, user: User) -> QuerySet[VisitSeries]:
    series = VisitSeries.objects.select_related("client", "nurse", "team")
    if user.role == Role.NURSE:
        teams = Membership.objects.filter(nurse=user, ended_on__isnull=True).values("team_id")
        return series.filter(team_id__in=teams)
    if user.role == Role.COACH:
        return series.filter(team__coach_assignments__coach=user)
    return series.none()
