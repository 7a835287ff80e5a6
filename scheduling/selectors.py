"""Reads that decide who may see which part of the rota and which visits.

Nurses see their own team's rota; coaches read their teams'; back office and administrators
see no clinical planning at all (404).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, cast
from uuid import UUID

from django.conf import settings
from django.db.models import (
    CharField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import ExtractHour, ExtractMinute, TruncDate
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.module_loading import import_string

from buurtzorg.compiled import Statement
from clients.models import Client, ClientProblem, Intervention, ProblemStatus
from scheduling.models import (
    CalendarToken,
    CareService,
    CoverageRule,
    CoverArrangement,
    Leave,
    Shift,
    Visit,
    VisitSeries,
    VisitStatus,
)
from scheduling.services.rota import ShiftRow, duty_shift_rows, local_datetime
from teams.models import (
    Membership,
    Role,
    Team,
    User,
    membership_active_q,
    nurse_team_id,
    team_scope_q,
)


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return local_datetime(day, dt.time()), local_datetime(day + dt.timedelta(days=1), dt.time())


def rota_team_list_visible(*, user: User) -> QuerySet[Team]:
    """Teams whose rota `user` may read."""
    return Team.objects.visible_to(user).select_related("neighbourhood").order_by("name")


def rota_team_get_visible(*, user: User, public_id: UUID | None = None) -> Team:
    """The team asked for, or the user's first visible team. 404 when there is none."""
    teams = rota_team_list_visible(user=user)
    if public_id:
        return get_object_or_404(teams, public_id=public_id)
    team = teams.first()
    if team is None:
        raise Http404
    return team


def rota_team_with_nurses(*, user: User, public_id: UUID | None = None) -> tuple[Team, list[User]]:
    """`rota_team_get_visible` and `team_nurses` of that team in one query.

    The rota and planning pages need both; reading the team's active memberships with their
    team and nurse saves a round trip on every view. Only a team without active nurses needs
    a second query (to tell an empty team from one the user may not see: 404).
    """
    teams = rota_team_list_visible(user=user)
    if public_id:
        teams = teams.filter(public_id=public_id)
    memberships = list(
        Membership.objects.active()
        .filter(team_id=Subquery(teams.values("pk")[:1]))
        .select_related("team__neighbourhood", "nurse")
        .order_by("seat")
    )
    if not memberships:
        return rota_team_get_visible(user=user, public_id=public_id), []
    return memberships[0].team, [m.nurse for m in memberships]


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
        and Membership.objects.active().filter(nurse=user, team=team).exists()
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
    # One filter() call, so the team and the active condition are on the same membership.
    return User.objects.filter(
        membership_active_q(prefix="memberships__"), memberships__team=team
    ).order_by("memberships__seat")


def assignable_nurses() -> QuerySet[User]:
    """Nurses a visit may be offered to. Deliberately wide: which of them may take a given
    visit depends on its team and day (members, covering teams, leave), and that rule and its
    message live in `scheduling.services.visits.visit_assign`."""
    return User.objects.filter(role=Role.NURSE, is_active=True)


LEAVE_ROW = "leave"


def team_week_shifts_and_leaves(
    *,
    team: Team,
    nurse_ids: list[int],
    covering_ids: set[int],
    start: dt.datetime,
    end: dt.datetime,
) -> tuple[list[ShiftRow], list[tuple[int, dt.datetime, dt.datetime]]]:
    """The rota week's shift rows (as `duty_shift_rows`: the team's own and its night cover)
    and the leave rows (nurse_id, starts_at, ends_at) of `nurse_ids`, in one UNION ALL query:
    the rota page stays within its query budget."""
    shifts = duty_shift_rows(team=team, start=start, end=end, covering_ids=covering_ids)
    leaves = (
        Leave.objects.filter(nurse_id__in=nurse_ids, starts_at__lt=end, ends_at__gt=start)
        .order_by()
        .values_list(
            Value(None, output_field=IntegerField()),
            "nurse_id",
            "starts_at",
            "ends_at",
            Value(LEAVE_ROW, output_field=CharField()),
            "public_id",
        )
    )
    rows = list(shifts.union(leaves, all=True))
    shift_rows = sorted((r for r in rows if r[4] != LEAVE_ROW), key=lambda r: r[2])
    leave_rows = [(r[1], r[2], r[3]) for r in rows if r[4] == LEAVE_ROW]
    return shift_rows, leave_rows


def team_leave_get(*, team: Team, public_id: UUID) -> Leave:
    """A leave of one of the team's active nurses (404 for any other)."""
    return get_object_or_404(
        Leave.objects.filter(
            membership_active_q(prefix="nurse__memberships__"), nurse__memberships__team=team
        ),
        public_id=public_id,
    )


def team_coverage_rules(*, team: Team) -> QuerySet[CoverageRule]:
    return team.coverage_rules.order_by("starts_at")


def team_cover_arrangements(*, team: Team) -> QuerySet[CoverArrangement]:
    """Arrangements either way, proposed and accepted (`coverage_gaps` counts only accepted)."""
    return CoverArrangement.objects.filter(
        Q(covered_team=team) | Q(covering_team=team)
    ).select_related("covering_team", "covered_team", "accepted_by")


def cover_arrangement_get_for_nurse(*, user: User, public_id: UUID) -> CoverArrangement:
    """An arrangement one of whose two teams is the nurse's current team (404 for any other)."""
    if user.role != Role.NURSE:
        raise Http404
    teams = rota_team_list_visible(user=user).values("pk")
    return get_object_or_404(
        CoverArrangement.objects.filter(
            Q(covered_team__in=teams) | Q(covering_team__in=teams)
        ).select_related("covering_team", "covered_team"),
        public_id=public_id,
    )


# --- visits ---------------------------------------------------------------------------------


def nurse_visit_q(nurse: User) -> Q:
    """THE rule "which visits does this nurse read", as a condition on a visit: her CURRENT
    team's, and those assigned to her in a team her current team covers by an accepted
    arrangement on the visit's (local) day. Never `nurse=user` alone: a nurse who moved team
    keeps no reach into her old team through a visit still naming her.

    Her team is `nurse_team_id`, a scalar subquery (see there for why not `IN`).
    """
    team_id = nurse_team_id(nurse)
    starts_at = ExpressionWrapper(OuterRef("starts_at"), output_field=DateTimeField())
    visit_day = TruncDate(starts_at, tzinfo=timezone.get_default_timezone())
    covered = CoverArrangement.objects.in_force(on=visit_day).filter(
        covered_team=OuterRef("team"), covering_team=team_id
    )
    return Q(team=team_id) | Q(Q(nurse=nurse), Exists(covered))


def visit_list_visible(*, user: User) -> QuerySet[Visit]:
    """Visits `user` may read: a nurse's as `nurse_visit_q`, a coach's teams'."""
    visits = Visit.objects.select_related("client", "nurse", "team", "service")
    if not (user.is_authenticated and user.is_active):
        return visits.none()
    if user.role == Role.NURSE:
        return visits.filter(nurse_visit_q(user))
    scope = team_scope_q(user, prefix="team__")
    return visits.none() if scope is None else visits.filter(scope)


def visit_get_visible(*, user: User, public_id: UUID | str) -> Visit:
    return get_object_or_404(visit_list_visible(user=user), public_id=public_id)


def visit_get_correctable(*, user: User, public_id: UUID | str) -> Visit:
    """A billed visit, or a row of its correction chain, that `user` may correct (issue 19,
    item 4): for a nurse one her team reads (`nurse_visit_q`); for back office any billed
    visit, as an administrative fix of minutes (its page shows no care notes). Anyone else,
    and a visit never billed, is 404."""
    visits = Visit.objects.select_related("client", "team", "service", "nurse").filter(
        Q(billed_at__isnull=False) | Q(corrects__isnull=False),
        client__in=Client.objects.visible_to(user),
    )
    if user.role == Role.NURSE:
        visits = visits.filter(nurse_visit_q(user))
    elif user.role != Role.BACK_OFFICE:
        visits = visits.none()
    return get_object_or_404(visits, public_id=public_id)


NO_VISIT = "No Visit matches the given query."


def visit_get_own(*, user: User, public_id: UUID) -> Visit:
    """A visit assigned to `user` that she may still read: the only ones she may start and
    log (others are 404, also those of a team she has left). Its statement is compiled once
    per process, as My day's are (see `_OWN_VISIT`)."""
    if user.role != Role.NURSE or not user.is_active:
        raise Http404
    try:
        found = _OWN_VISIT.instances(nurse_id=user.pk, public_id=UUID(str(public_id)))
    except ValueError:
        found = []
    if not found:
        raise Http404(NO_VISIT)  # (get_object_or_404's words)
    return found[0]


def _own_visit(*, nurse_id: int, public_id: UUID) -> QuerySet[Visit]:
    nurse = _stand_in(nurse_id)
    return Visit.objects.select_related("client", "service").filter(
        nurse_visit_q(nurse), public_id=public_id, nurse=nurse
    )


def _my_day_round(*, nurse: User, start: dt.datetime, end: dt.datetime) -> QuerySet[Visit]:
    """The visits of her round between `start` and `end` (a day's bounds): the one definition
    that My day's list, a single card of it and its "n/m done" counter share."""
    return (
        Visit.objects.filter(
            nurse=nurse, corrects__isnull=True, starts_at__gte=start, starts_at__lt=end
        )
        .filter(nurse_visit_q(nurse))
        .exclude(status=VisitStatus.CANCELLED)
    )


# My day's statements are compiled once per process (buurtzorg.compiled): building them through
# the ORM (the visibility rule, the carenotes annotation, the plans and problems) cost the
# worker about 4 times PostgreSQL's time to run them, on the page nurses open most. These
# values stand for hers in them; no real id is negative and no round is in 1901.
_NURSE = (-7_301_946_301, -7_301_946_302)
_VISIT = (-7_301_946_303, -7_301_946_304)
_START = (
    dt.datetime(1901, 1, 1, 1, tzinfo=dt.UTC),
    dt.datetime(1901, 1, 2, 1, tzinfo=dt.UTC),
)
_END = (
    dt.datetime(1901, 1, 3, 1, tzinfo=dt.UTC),
    dt.datetime(1901, 1, 4, 1, tzinfo=dt.UTC),
)
_NOW = (
    dt.datetime(1901, 1, 5, 1, tzinfo=dt.UTC),
    dt.datetime(1901, 1, 6, 1, tzinfo=dt.UTC),
)


def _stand_in(nurse_id: int) -> User:
    """A nurse for building a statement: only her id reaches the SQL."""
    nurse = User(pk=nurse_id, role=Role.NURSE, is_active=True)
    nurse._state.adding = False
    return nurse


def _cards_round(
    *, nurse_id: int, start: dt.datetime, end: dt.datetime, visit_id: int | None
) -> QuerySet[Visit]:
    round_ = _my_day_round(nurse=_stand_in(nurse_id), start=start, end=end)
    return round_ if visit_id is None else round_.filter(pk=visit_id)


def _card_visits(
    *,
    nurse_id: int,
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime,
    visit_id: int | None = None,
) -> QuerySet[Visit]:
    """The round's visits (or `one` visit of it) with their client, service and the apps'
    annotations (settings.MY_DAY_VISIT_ANNOTATIONS), in order."""
    visits = _cards_round(
        nurse_id=nurse_id, start=start, end=end, visit_id=visit_id
    ).select_related("client", "service")
    for path in settings.MY_DAY_VISIT_ANNOTATIONS:
        visits = import_string(path)(visits=visits, nurse=_stand_in(nurse_id), now=now)
    return visits.order_by("starts_at")


def _card_plans(
    *, nurse_id: int, start: dt.datetime, end: dt.datetime, visit_id: int | None = None
) -> QuerySet[Intervention]:
    """The interventions planned for the round's visits (or `one`), each with `card_visit_id`:
    a subquery of the round, not a list of its ids, so the statement's shape is fixed."""
    round_ = _cards_round(nurse_id=nurse_id, start=start, end=end, visit_id=visit_id)
    return (
        Intervention.objects.filter(planned_visits__in=round_.values("pk"))
        .annotate(card_visit_id=F("planned_visits__id"))
        .select_related("category", "target", "client_problem__problem")
    )


def _card_problems(
    *, nurse_id: int, start: dt.datetime, end: dt.datetime, visit_id: int | None = None
) -> QuerySet[ClientProblem]:
    """The active problems of the round's clients (or `one` visit's), as each card lists them."""
    round_ = _cards_round(nurse_id=nurse_id, start=start, end=end, visit_id=visit_id)
    return (
        ClientProblem.objects.filter(
            status=ProblemStatus.ACTIVE, client__in=round_.values("client_id")
        )
        .select_related("problem")
        .order_by("priority", "problem__number")
    )


def _round_statuses(
    *, nurse_id: int, start: dt.datetime, end: dt.datetime
) -> QuerySet[Visit, tuple[str]]:
    return _cards_round(nurse_id=nurse_id, start=start, end=end, visit_id=None).values_list(
        "status"
    )


CardStatements = tuple[Statement[Visit], Statement[Intervention], Statement[ClientProblem]]
_DAY = {"nurse_id": _NURSE, "start": _START, "end": _END}
_ROUND_CARDS: CardStatements = (
    Statement(Visit, _card_visits, now=_NOW, **_DAY),
    Statement(Intervention, _card_plans, **_DAY),
    Statement(ClientProblem, _card_problems, **_DAY),
)
_ONE_CARD: CardStatements = (
    Statement(Visit, _card_visits, now=_NOW, visit_id=_VISIT, **_DAY),
    Statement(Intervention, _card_plans, visit_id=_VISIT, **_DAY),
    Statement(ClientProblem, _card_problems, visit_id=_VISIT, **_DAY),
)
_ROUND_STATUSES = Statement(Visit, _round_statuses, **_DAY)
# (every tap on a card and every log form reads her visit so)
_OWN_VISIT = Statement(Visit, _own_visit, nurse_id=_NURSE, public_id=(UUID(int=1), UUID(int=2)))


def _cards(statements: CardStatements, **values: Any) -> list[Visit]:
    """Visits with everything a card of My day shows, in 3 queries whatever their number:
    `plan` (the interventions planned, in their order) and `client.active_problems`."""
    visits_of, plans_of, problems_of = statements
    now = values.pop("now")
    visits = visits_of.instances(now=now, **values)
    if not visits:
        return visits
    plans: dict[int, list[Intervention]] = defaultdict(list)
    for intervention in plans_of.instances(**values):
        plans[intervention.card_visit_id].append(intervention)  # type: ignore[attr-defined]
    problems: dict[int, list[ClientProblem]] = defaultdict(list)
    for problem in problems_of.instances(**values):
        problems[problem.client_id].append(problem)
    for visit in visits:
        visit.plan = plans[visit.pk]  # type: ignore[attr-defined]
        visit.client.active_problems = problems[visit.client_id]  # type: ignore[attr-defined]
    return visits


def my_day_visits(*, nurse: User, day: dt.date) -> list[Visit]:
    """Today's round in order, with everything the page shows, in a fixed number of queries."""
    start, end = day_bounds(day)
    return _cards(_ROUND_CARDS, nurse_id=nurse.pk, start=start, end=end, now=timezone.now())


def my_day_card_visit(*, nurse: User, visit: Visit) -> Visit | None:
    """One card of her round: `visit` read again with what its card shows, exactly as
    `my_day_visits` reads it; None when it is not (or no longer) on her round."""
    start, end = day_bounds(timezone.localtime(visit.starts_at).date())
    cards = _cards(
        _ONE_CARD,
        nurse_id=nurse.pk,
        start=start,
        end=end,
        now=timezone.now(),
        visit_id=visit.pk,
    )
    return cards[0] if cards else None


def my_day_done_count(*, nurse: User, day: dt.date) -> tuple[int, int]:
    """My day's "n/m done" counter: her visits on `day` that are done, and all of them, in
    one query (a card re-read after a tap needs no re-read of the whole round)."""
    start, end = day_bounds(day)
    rows = _ROUND_STATUSES.rows(nurse_id=nurse.pk, start=start, end=end)
    statuses = [status for (status,) in rows]
    return statuses.count(VisitStatus.DONE), len(statuses)


# --- the visit log form's options ------------------------------------------------------------


@dataclass(frozen=True)
class VisitLogOptions:
    """What the log form of one visit offers: the client's active problems (a rating row
    each), her care plan's active lines (a box each), the care services, and the visit's
    planned interventions as (id, client problem id) pairs (the boxes ticked at first, the
    problems worked on)."""

    problems: list[ClientProblem]
    interventions: list[Intervention]
    services: list[CareService]
    planned: list[tuple[int, int]]


def care_plan_lines(*, client_id: int) -> QuerySet[Intervention]:
    """A client's active care-plan lines with what a form's label shows of each."""
    return Intervention.objects.filter(
        client_problem__client_id=client_id, is_active=True
    ).select_related("category", "target", "client_problem__problem")


def _active_problems(*, client_id: int) -> QuerySet[ClientProblem]:
    return ClientProblem.objects.filter(
        client_id=client_id, status=ProblemStatus.ACTIVE
    ).select_related("problem")


def _planned_pairs(*, visit_id: int) -> QuerySet[Intervention, tuple[int, int]]:
    return (
        Intervention.objects.filter(planned_visits=visit_id)
        .order_by()
        .values_list("pk", "client_problem_id")
    )


def _services() -> QuerySet[CareService]:
    return CareService.objects.order_by("code")


# Compiled once per process like My day's (the form is the nurse's next page after it): the
# ORM's building of these four was most of the form's reading time.
_CLIENT = (-7_301_946_305, -7_301_946_306)
_LOG_PROBLEMS = Statement(ClientProblem, _active_problems, client_id=_CLIENT)
_LOG_LINES = Statement(Intervention, care_plan_lines, client_id=_CLIENT)
_LOG_PLANNED = Statement(Intervention, _planned_pairs, visit_id=_VISIT)
_LOG_SERVICES = Statement(CareService, _services)


def visit_log_options(*, visit: Visit) -> VisitLogOptions:
    """The log form's options for `visit`, one she may log (`visit_get_own`; the page's read
    service logs it): 4 queries, whatever the size of the care plan."""
    client_id = visit.client_id
    problems = _LOG_PROBLEMS.instances(client_id=client_id)
    lines = _LOG_LINES.instances(client_id=client_id)
    for problem in problems:
        problem.client = visit.client  # as `client.problems` gives them
    return VisitLogOptions(
        problems=problems,
        interventions=lines,
        services=_LOG_SERVICES.instances(),
        planned=[(pk, problem_id) for pk, problem_id in _LOG_PLANNED.rows(visit_id=visit.pk)],
    )


def team_week_visits(*, team: Team, start: dt.datetime, end: dt.datetime) -> list[dict[str, Any]]:
    """Plain rows with only what the planning grid shows: a team's week is several hundred
    visits, and building model instances for them costs more than the query.

    The local day, hour and minute come from the database (AT TIME ZONE, so right across DST)
    instead of `starts_at`: Django's psycopg 3 timestamptz loader is pure Python and parsing
    several hundred aware datetimes, then converting each to local time, cost more than the
    rest of the view.
    """
    tz = timezone.get_default_timezone()
    # values() rows are TypedDicts in the stubs; the grid reads them as plain dicts.
    return cast(
        "list[dict[str, Any]]",
        list(
            Visit.objects.filter(
                team=team, corrects__isnull=True, starts_at__gte=start, starts_at__lt=end
            )
            .exclude(status=VisitStatus.CANCELLED)
            .order_by("starts_at")
            .values(
                "public_id",
                "status",
                "nurse_id",
                "planned_minutes",
                "client__first_name",
                "client__name_prefix",
                "client__last_name",
                local_day=TruncDate("starts_at", tzinfo=tz),
                local_hour=ExtractHour("starts_at", tzinfo=tz),
                local_minute=ExtractMinute("starts_at", tzinfo=tz),
            )
        ),
    )


def nurse_feed_visits(*, nurse: User, start: dt.datetime, end: dt.datetime) -> QuerySet[Visit]:
    return (
        Visit.objects.filter(
            nurse=nurse, corrects__isnull=True, starts_at__gte=start, starts_at__lt=end
        )
        .filter(nurse_visit_q(nurse))
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
    scope = team_scope_q(user, prefix="team__")
    return series.none() if scope is None else series.filter(scope)
