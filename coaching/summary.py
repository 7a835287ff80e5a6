"""The daily per-team summary (`TeamDay`): how it is filled.

Why: a coach's dashboard shows 50 teams with 12-week sparklines, and the team page compares a
team with the median of all teams. Computed from the visits each time, that scans hundreds of
thousands of visit rows per request (millions for the median) and the cost grows every month.
The summary keeps one row per team per day, so a page reads a few thousand small rows whatever
the history holds.

How: `team_days_refresh` recomputes the rows of a range of days for every team with a handful
of set-based queries grouped by (team, day), and upserts them (INSERT ... ON CONFLICT DO UPDATE
on the unique (team, day)), so running it twice gives the same rows. The queries are the very
ones `coaching.figures` runs live (same filters, grouped by day instead of by period), and a
test checks that figures read from the summary equal the live ones.

Freshness (see `coaching.tasks` and the beat schedule in settings):
- every 10 minutes: yesterday and today, with the state columns (clients in care, outcome
  change, problems, rota gaps). Today's figures on a page are at most ~10 minutes old.
- every night: the last 42 days' counts again (visits logged late), and the days of
  corrections entered since the night before (a correction can change a billed visit months
  later).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from clients.models import Client
from coaching.figures import (
    DEFAULT_PERIOD_DAYS,
    EFFECTIVE,
    FINISHED_FIELDS,
    GAP_DAYS,
    LATE_AFTER,
    ORIGINAL,
    TO_LOG,
    Row,
    _clients,
    _from_summary,
    _local_bounds,
    _memberships,
    _outcomes,
    _pair_counts,
    _top_problems,
    default_period,
    finished_figures_columns,
    gap_hours,
    pair_key,
)
from coaching.models import TeamDay, TeamPeriodFigures
from scheduling.models import Visit, VisitStatus
from scheduling.services.rota import coverage_gaps_for_teams, local_datetime, local_tz
from teams.models import Team

NIGHTLY_DAYS = 42

COUNT_FIELDS = [
    "week",
    "planned_visits",
    "logged_visits",
    "late_visits",
    "delivered_minutes",
    "intake",
    "discharges",
    "nurses",
    "contracted_hours_week",
    "pairs",
    "updated_at",
]
STATE_FIELDS = [
    "state_at",
    "active_clients",
    "indicated_hours_week",
    "rated_problems",
    "improved",
    "stayed",
    "worsened",
    "top_problems",
    "gap_count",
    "gap_hours",
]


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def _visit_counts(
    first: dt.date, last: dt.date, now: dt.datetime
) -> dict[tuple[int, dt.date], Row]:
    """Per (team, local day): the counts `coaching.figures._visits` makes per period."""
    lo, hi = _local_bounds(first, last)
    done = Q(status=VisitStatus.DONE)
    original_done = ORIGINAL & done
    rows = (
        Visit.objects.filter(starts_at__gte=lo, starts_at__lt=hi)
        .annotate(day=TruncDate("starts_at", tzinfo=local_tz()))
        .values("team_id", "day")
        .annotate(
            planned=Count(
                "pk",
                filter=TO_LOG & Q(starts_at__lt=now),
            ),
            logged=Count("pk", filter=original_done),
            minutes=Sum("logged_minutes", filter=EFFECTIVE),
            late=Count("pk", filter=original_done & Q(logged_at__gt=F("ends_at") + LATE_AFTER)),
        )
        .order_by()
    )
    return {(r["team_id"], r["day"]): r for r in rows}


def _visit_pairs(first: dt.date, last: dt.date) -> dict[tuple, list[int]]:
    """Per (team, local day): the distinct (client, nurse) pairs of done original visits."""
    lo, hi = _local_bounds(first, last)
    rows = (
        Visit.objects.filter(
            ORIGINAL,
            status=VisitStatus.DONE,
            nurse__isnull=False,
            starts_at__gte=lo,
            starts_at__lt=hi,
        )
        .annotate(day=TruncDate("starts_at", tzinfo=local_tz()))
        .values_list("team_id", "day", "client_id", "nurse_id")
        .distinct()
        .order_by()
    )
    pairs: dict[tuple, list[int]] = defaultdict(list)
    for team_id, day, client_id, nurse_id in rows.iterator(chunk_size=5000):
        pairs[(team_id, day)].append(pair_key(client_id, nurse_id))
    return pairs


def _client_moves(first: dt.date, last: dt.date, field: str) -> dict[tuple, int]:
    rows = (
        Client.objects.filter(**{f"{field}__range": (first, last)})
        .values("team_id", field)
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(r["team_id"], r[field]): r["n"] for r in rows}


def _state(team_ids: list[int], day: dt.date) -> dict[int, dict]:
    """The state columns of `day` for every team: the live figures' own queries."""
    clients = _clients(team_ids, day, day)
    outcomes = _outcomes(team_ids, day)
    top = _top_problems(team_ids, day)
    gaps = coverage_gaps_for_teams(
        team_ids=team_ids,
        start=local_datetime(day, dt.time()),
        end=local_datetime(day + dt.timedelta(days=GAP_DAYS), dt.time()),
    )
    now = timezone.now()
    out = {}
    for tid in team_ids:
        c, o, g = clients.get(tid, {}), outcomes.get(tid, {}), gaps.get(tid, [])
        out[tid] = {
            "state_at": now,
            "active_clients": c.get("active", 0),
            "indicated_hours_week": c.get("indicated") or Decimal(0),
            "rated_problems": o.get("rated", 0),
            "improved": o.get("improved", 0),
            "stayed": o.get("stayed", 0),
            "worsened": o.get("worsened", 0),
            "top_problems": [[name, n] for name, n in top.get(tid, [])],
            "gap_count": len(g),
            "gap_hours": gap_hours(g),
        }
    return out


def team_days_refresh(
    *,
    first: dt.date,
    last: dt.date,
    state_on: Iterable[dt.date] = (),
    team_ids: Sequence[int] | None = None,
    today: dt.date | None = None,
) -> int:
    """Recompute every team's rows for the days `first`..`last` (both included); the state
    columns too for the days in `state_on` (other rows keep the state they had). Then, from
    the rows as they now are, each of these teams' figures for the dashboards' default period
    up to `today` (default: the local date), finished (`TeamPeriodFigures`).

    Idempotent and safe to run concurrently with itself: each row is an upsert on the unique
    (team, day), written in one transaction with the finished figures, so a reader sees the
    old or the new rows and the figures made of them. Returns the number of rows written.
    """
    if last < first:
        return 0
    ids = (
        list(team_ids) if team_ids is not None else list(Team.objects.values_list("pk", flat=True))
    )
    days = _days(first, last)
    state_days = sorted(set(state_on))
    now = timezone.now()
    visits = _visit_counts(first, last, now)
    pairs = _visit_pairs(first, last)
    intake = _client_moves(first, last, "admitted_on")
    discharges = _client_moves(first, last, "discharged_on")
    members = _memberships(ids, first, last)
    states = {day: _state(ids, day) for day in state_days}
    plain: list[TeamDay] = []
    with_state: list[TeamDay] = []
    for tid in ids:
        memberships = members.get(tid, [])
        for day in days:
            active = [
                m
                for m in memberships
                if m["started_on"] <= day and (m["ended_on"] is None or m["ended_on"] >= day)
            ]
            v = visits.get((tid, day), {})
            row = TeamDay(
                team_id=tid,
                day=day,
                week=day - dt.timedelta(days=day.weekday()),
                planned_visits=v.get("planned", 0),
                logged_visits=v.get("logged", 0),
                late_visits=v.get("late", 0),
                delivered_minutes=v.get("minutes") or 0,
                intake=intake.get((tid, day), 0),
                discharges=discharges.get((tid, day), 0),
                nurses=len(active),
                contracted_hours_week=sum((m["contracted_hours"] for m in active), Decimal(0)),
                pairs=sorted(pairs.get((tid, day), [])),
            )
            if day in states:
                for name, value in states[day][tid].items():
                    setattr(row, name, value)
                with_state.append(row)
            else:
                plain.append(row)
    with transaction.atomic():
        for batch, fields in ((plain, COUNT_FIELDS), (with_state, COUNT_FIELDS + STATE_FIELDS)):
            TeamDay.objects.bulk_create(
                batch,
                batch_size=2000,
                update_conflicts=True,
                unique_fields=["team", "day"],
                update_fields=fields,
            )
        # With the state: continuity over the dashboards' default period up to that day,
        # counted here once per refresh (all teams in one query per day, from the rows just
        # written) rather than by every dashboard view whose figures are not cached.
        for day in state_days:
            window = _pair_counts(ids, day - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1), day)
            rows = [row for row in with_state if row.day == day]
            for row in rows:
                row.window_pairs, row.window_clients = window.get(row.team_id, (0, 0))
            TeamDay.objects.bulk_update(rows, ["window_pairs", "window_clients"], batch_size=1000)
        _default_period_finish(ids, today or timezone.localdate())
    return len(plain) + len(with_state)


def _default_period_finish(team_ids: list[int], today: dt.date) -> int:
    """Write the finished figures of `team_ids` for the default period up to `today`, from
    the summary as it is now; delete those of the teams it does not cover for that period.

    Run by `team_days_refresh` in the transaction that wrote the rows, so a reader sees the
    finished figures of exactly the rows she sees. Returns the number of teams finished.
    """
    start, end = default_period(today)
    finished = _from_summary([Team(pk=pk) for pk in team_ids], start, end, today, True, True)
    TeamPeriodFigures.objects.bulk_create(
        [
            TeamPeriodFigures(team_id=pk, day=end, **finished_figures_columns(figures))
            for pk, figures in finished.items()
        ],
        batch_size=500,
        update_conflicts=True,
        unique_fields=["team"],
        update_fields=["day", "updated_at", *FINISHED_FIELDS],
    )
    TeamPeriodFigures.objects.filter(
        team_id__in=[pk for pk in team_ids if pk not in finished]
    ).delete()
    return len(finished)


def end_of_week(day: dt.date) -> dt.date:
    """The Sunday of `day`'s week: the sparkline's current week needs the rest of the week's
    contracted hours (memberships are known ahead), so rows are kept up to that day."""
    return day + dt.timedelta(days=6 - day.weekday())


def team_days_refresh_recent(*, today: dt.date | None = None) -> int:
    """Yesterday and today with their state, and the rest of this week: what pages show as
    'now'."""
    today = today or timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    return team_days_refresh(
        first=yesterday, last=end_of_week(today), state_on=[yesterday, today], today=today
    )


def correction_days(*, since: dt.datetime) -> list[dt.date]:
    """Local days of visits that got a correction row since `since` (through the sparse
    index on `corrects_id`, so this reads only correction rows)."""
    return sorted(
        set(
            Visit.objects.filter(corrects__isnull=False, created_at__gte=since)
            .annotate(day=TruncDate("starts_at", tzinfo=local_tz()))
            .values_list("day", flat=True)
            .order_by()
        )
    )


def team_days_refresh_nightly(*, today: dt.date | None = None) -> int:
    """The last NIGHTLY_DAYS days' counts (late logs), then the days of new corrections
    (each refresh finishes the default period's figures again, from the rows it leaves)."""
    today = today or timezone.localdate()
    first = today - dt.timedelta(days=NIGHTLY_DAYS)
    written = team_days_refresh(first=first, last=end_of_week(today), today=today)
    since = timezone.now() - dt.timedelta(days=2)
    for day in correction_days(since=since):
        if day < first:
            written += team_days_refresh(first=day, last=day, today=today)
    return written
