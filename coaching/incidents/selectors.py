"""Who sees incidents: the nurses of the incident's team, nobody else (coaches see counts only,
see `incident_trends`; back office and administrators nothing: 404)."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

from django.db.models import Count, F, QuerySet
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404

from buurtzorg.compiled import AnyOf, Statement
from clients.models import Client, ClientStatus
from coaching.incidents.models import Incident, IncidentKind
from coaching.selectors import COACH_ID, coach_stand_in
from teams.models import Membership, Role, Team, User


def incident_list_visible(*, user: User) -> QuerySet[Incident]:
    if user.role != Role.NURSE:
        return Incident.objects.none()
    teams = Membership.objects.active().filter(nurse=user).values("team_id")
    return Incident.objects.filter(team_id__in=teams).select_related(
        "client", "reported_by", "closed_by", "team"
    )


def incident_get_visible(*, user: User, public_id: UUID, for_update: bool = False) -> Incident:
    incidents = incident_list_visible(user=user)
    if for_update:
        incidents = incidents.select_for_update(of=("self",))
    return get_object_or_404(incidents, public_id=public_id)


def incident_trends(
    *, user: User, months: int = 6, today: dt.date, teams: Sequence[Team] | None = None
) -> list[dict]:
    """Per team the coach coaches: counts per month and kind for the last `months` months, and
    the open count. Counts only, no client or author; one query for the counts.

    `teams`: her teams as the caller has already read them (the coach dashboard), which saves
    reading them again; the counts stay limited to the teams she coaches all the same, so a team
    passed in that is not hers shows only zeros."""
    if user.role != Role.COACH:
        return []
    first = _first_month(today, months)
    rows: Iterable[Sequence[Any]]
    if teams is None:
        teams = list(Team.objects.visible_to(user).order_by("name"))
        rows = _trend_rows(Incident.objects.filter(team__in=teams), first=first)
    elif user.is_active:  # (the statement stands in an active coach; an inactive one has none)
        rows = _TREND_ROWS.rows(coach_id=user.pk, team_ids=[t.pk for t in teams], first=first)
    else:
        rows = _trend_rows(Incident.objects.none(), first=first)
    month_starts = [first]
    while len(month_starts) < months:
        last = month_starts[-1]
        month_starts.append((last + dt.timedelta(days=32)).replace(day=1))
    counts: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    open_counts: dict[int, int] = defaultdict(int)
    for team_id, month, kind, status, n in rows:
        counts[team_id][(month, kind)] += n
        counts[team_id][month] += n
        if status == "open":
            open_counts[team_id] += n
    choices = IncidentKind.choices  # (a list built on each access: once, not per team)
    return [
        {
            "team": team,
            "open": open_counts[team.pk],
            "months": [
                {
                    "month": m,
                    "total": counts[team.pk][m],
                    "kinds": {k: counts[team.pk][(m, k)] for k, _label in choices},
                    "kind_counts": [
                        (label, counts[team.pk][(m, value)])
                        for value, label in choices
                        if counts[team.pk][(m, value)]
                    ],
                }
                for m in month_starts
            ],
        }
        for team in teams
    ]


def _first_month(today: dt.date, months: int) -> dt.date:
    """The first day of the first of the `months` months up to `today`'s."""
    first = today.replace(day=1)
    for _ in range(months - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return first


def _trend_rows(counted: QuerySet[Incident], *, first: dt.date) -> QuerySet[Incident, tuple]:
    """(team id, month, kind, status, count) of the incidents `counted` since `first`."""
    return (
        counted.filter(occurred_on__gte=first)
        .annotate(month=TruncMonth("occurred_on"))
        .order_by()
        .values_list("team_id", "month", "kind", "status")
        .annotate(n=Count("id"))
    )


def _coach_trend_rows(*, coach_id: int, team_ids: list[int], first: dt.date) -> QuerySet:
    """The counts of the teams passed that the coach coaches (the others count nothing)."""
    visible = Team.objects.visible_to(coach_stand_in(coach_id)).values("id")
    counted = Incident.objects.filter(AnyOf(F("team_id"), team_ids), team_id__in=visible)
    return _trend_rows(counted, first=first)


# The coach dashboard's counts (her teams passed in), compiled once per process like her other
# reads (coaching.selectors, _COACH_READS): the ids are one array parameter (AnyOf), so the
# statement is the same for 2 teams or 50.
_TREND_ROWS = Statement(
    Incident,
    _coach_trend_rows,
    coach_id=COACH_ID,
    team_ids=([COACH_ID[0]], [COACH_ID[1]]),
    first=(dt.date(1901, 1, 1), dt.date(1901, 2, 1)),
)


def incident_client_choices(*, user: User) -> list[tuple[str, str]]:
    """(public id, name) of the active clients of the nurse's team, for the filing form."""
    if user.role != Role.NURSE:
        return []
    return [
        (str(c.public_id), c.display_name)
        for c in Client.objects.visible_to(user)
        .filter(status=ClientStatus.ACTIVE)
        .order_by("last_name", "first_name", "pk")
    ]
