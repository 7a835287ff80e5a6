"""Team figures: one service for every dashboard and the API.

`team_figures(teams=..., start=..., end=...)` computes the figures of MANY teams at once in a
constant number of SQL queries, whatever the number of teams. The dashboards' default period
(the four weeks up to today) is one query: each team's figures as the summary refresh finished
them (`TeamPeriodFigures`). Other periods come from the daily summary (`TeamDay`, filled by
`coaching.summary`) in two queries; teams or periods the summary does not cover are computed
live, where every figure is an aggregate grouped by team
(`values("team").annotate(...)` with conditional aggregation) and the rota gaps come from
scheduling's own check for many teams (`coverage_gaps_for_teams`, three queries). A coach
with 50 teams costs what a coach with two teams costs.

Every figure has a one-line definition in `DEFINITIONS`, shown next to it on every page.
"""

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.core.cache import cache
from django.db import connections, router
from django.db.models import (
    CharField,
    Count,
    F,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Cast, Concat, FirstValue, RowNumber, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from buurtzorg.compiled import AnyOf, Statement
from buurtzorg.dbrouter import replica_reads
from buurtzorg.l10n import format_number
from clients.models import Client, ClientProblem, OutcomeRating, ProblemStatus
from coaching.models import TeamDay, TeamPeriodFigures
from scheduling.models import Visit, VisitStatus, visit_counts_q
from scheduling.services.rota import CoverageGap, coverage_gaps_for_teams, local_datetime
from teams.models import Membership, Team

if TYPE_CHECKING:  # django-stubs' name for "a str or a lazy translation"; no runtime import
    from django_stubs_ext import StrOrPromise

GAP_DAYS = 14
TREND_WEEKS = 12
LATE_AFTER = dt.timedelta(hours=24)
TARGET_PRODUCTIVITY = Decimal("0.60")
SPLIT_CLIENTS = 80  # "far more than ~60 clients"
FALLING_BY = Decimal("0.05")  # productivity down 5 points, last 4 weeks vs the 4 before
LOW_BY = Decimal("0.10")  # productivity more than 10 points below the aim is "low"

# key: (label, one-line definition), translated where they are shown
DEFINITIONS: "dict[str, tuple[StrOrPromise, StrOrPromise]]" = {
    "active_clients": (
        _("Active clients"),
        _("Clients in the team's care on the last day of the period."),
    ),
    "intake": (_("Intake"), _("Clients admitted during the period.")),
    "discharges": (_("Discharges"), _("Clients discharged during the period.")),
    "nurses": (
        _("Nurses"),
        _("Nurses with an active membership on the last day (a team has at most 12)."),
    ),
    "contracted_hours": (
        _("Contracted hours"),
        _("Sum of the nurses' contracted hours per week, pro rata over the days of the period."),
    ),
    "delivered_hours": (
        _("Hours delivered"),
        _("Logged minutes of done visits in the period, in hours (client-facing time)."),
    ),
    "productivity": (
        _("Productivity"),
        _("Hours delivered ÷ contracted hours in the period (Buurtzorg aims at about 60%)."),
    ),
    "visits": (
        _("Visits logged"),
        _(
            "Done visits ÷ planned visits that started in the period (cancelled and not-done "
            "ones excluded)."
        ),
    ),
    "late_share": (
        _("Logged late"),
        _("Share of done visits logged more than 24 hours after their planned end."),
    ),
    "gaps": (
        _("Rota gaps (next 14 days)"),
        _("Periods in the next 14 days with fewer nurses on duty than the coverage rules need."),
    ),
    "outcomes": (
        _("Outcome change"),
        _(
            "Client problems rated twice or more up to the period end: latest vs first"
            " Knowledge + Behavior + Status, improved / same / worse."
        ),
    ),
    "top_problems": (
        _("Problems most worked on"),
        _("Omaha problems on the most active clients' care plans."),
    ),
    "continuity": (
        _("Continuity of care"),
        _(
            "Average number of different nurses each visited client saw in the period"
            " (fewer is better)."
        ),
    ),
    "clients_per_nurse": (_("Clients per nurse"), _("Active clients ÷ nurses.")),
    "nurses_needed": (
        _("Nurses needed"),
        _(
            "Indicated care hours per week ÷ (average contracted hours × 60%);"
            " above 12 means split."
        ),
    ),
}


# figure key -> the TeamFigures attribute holding its number
VALUE_ATTRIBUTES = {
    "active_clients": "active_clients",
    "intake": "intake",
    "discharges": "discharges",
    "nurses": "nurses",
    "contracted_hours": "contracted_hours",
    "delivered_hours": "delivered_hours",
    "productivity": "productivity",
    "visits": "logged_visits",
    "late_share": "late_share",
    "gaps": "gap_count",
    "outcomes": "improved_share",
    "continuity": "continuity",
    "clients_per_nurse": "clients_per_nurse",
    "nurses_needed": "nurses_needed",
}


@dataclass(frozen=True)
class Light:
    """A traffic light: its level (red, amber, green) and the words that say the same."""

    level: str
    text: str

    @property
    def rank(self) -> int:
        return LIGHT_RANK[self.level]


LIGHT_RANK = {"red": 0, "amber": 1, "green": 2}


@dataclass
class TeamFigures:
    team: Team
    start: dt.date
    end: dt.date
    active_clients: int = 0
    intake: int = 0
    discharges: int = 0
    nurses: int = 0
    contracted_hours_week: Decimal = Decimal(0)
    contracted_hours: Decimal = Decimal(0)
    delivered_hours: Decimal = Decimal(0)
    planned_visits: int = 0
    logged_visits: int = 0
    late_visits: int = 0
    gap_count: int = 0
    gap_hours: Decimal = Decimal(0)
    rated_problems: int = 0
    improved: int = 0
    stayed: int = 0
    worsened: int = 0
    top_problems: list[tuple[str, int]] = field(default_factory=list)
    continuity: Decimal | None = None
    indicated_hours_week: Decimal = Decimal(0)
    weekly_productivity: list[Decimal | None] = field(default_factory=list)
    unread: int = 0
    # when the figures were computed: None = live now, else the summary's refresh time
    as_of: dt.datetime | None = None

    @property
    def productivity(self) -> Decimal | None:
        if not self.contracted_hours:
            return None
        return (self.delivered_hours / self.contracted_hours).quantize(Decimal("0.001"))

    @property
    def late_share(self) -> Decimal | None:
        if not self.logged_visits:
            return None
        return (Decimal(self.late_visits) / self.logged_visits).quantize(Decimal("0.001"))

    @property
    def clients_per_nurse(self) -> Decimal | None:
        if not self.nurses:
            return None
        return (Decimal(self.active_clients) / self.nurses).quantize(Decimal("0.1"))

    @property
    def nurses_needed(self) -> Decimal | None:
        if not self.nurses or not self.contracted_hours_week:
            return None
        per_nurse = self.contracted_hours_week / self.nurses * TARGET_PRODUCTIVITY
        return (self.indicated_hours_week / per_nurse).quantize(Decimal("0.1"))

    @property
    def split_nudge(self) -> str:
        """Buurtzorg teams split in two when they outgrow themselves."""
        needed = self.nurses_needed
        if needed is not None and needed > Team.MAX_NURSES:
            return gettext(
                "The care this team gives needs about %(needed)s nurses, more than "
                "%(limit)s: consider splitting into two teams."
            ) % {"needed": needed, "limit": Team.MAX_NURSES}
        if self.active_clients > SPLIT_CLIENTS:
            return gettext(
                "%(clients)s clients is far more than the ~60 a team can know well: "
                "consider splitting into two teams."
            ) % {"clients": self.active_clients}
        return ""

    @property
    def productivity_falling(self) -> bool:
        """Last four weeks' productivity clearly below the four weeks before."""
        weeks = [w for w in self.weekly_productivity[-8:] if w is not None]
        if len(weeks) < 8:  # fewer weeks, or a week without contracted hours
            return False
        before, recent = sum(weeks[:4], Decimal(0)) / 4, sum(weeks[4:], Decimal(0)) / 4
        return recent < before - FALLING_BY

    @property
    def attention(self) -> tuple:
        """Sort key for the coach dashboard: gaps first, then falling productivity, unread."""
        return (-self.gap_count, not self.productivity_falling, -self.unread, self.team.name)

    def value(self, key: str) -> Decimal | int | None:
        """The number behind a figure (for medians and the API)."""
        attribute = VALUE_ATTRIBUTES.get(key)
        return None if attribute is None else getattr(self, attribute)

    @property
    def light(self) -> "Light":
        """The dashboard's traffic light: red when the rota has gaps, amber when productivity
        falls or is well below the aim, messages wait or the team outgrows itself, else green.
        Always with words, so it reads without colour."""
        if self.gap_count:
            return Light("red", gettext("Act: rota gaps"))
        productivity = self.productivity
        if self.productivity_falling:
            return Light("amber", gettext("Watch: productivity falling"))
        if productivity is not None and productivity < TARGET_PRODUCTIVITY - LOW_BY:
            return Light("amber", gettext("Watch: productivity low"))
        if self.split_nudge:
            return Light("amber", gettext("Watch: consider splitting"))
        if self.unread:
            return Light("amber", gettext("Watch: unread messages"))
        return Light("green", gettext("On track"))

    @property
    def productivity_light(self) -> str:
        """Productivity against the aim: green from 60%, amber within 10 points, else red."""
        productivity = self.productivity
        if productivity is None:
            return ""
        if productivity >= TARGET_PRODUCTIVITY:
            return "green"
        return "amber" if productivity >= TARGET_PRODUCTIVITY - LOW_BY else "red"

    @property
    def logged_share(self) -> Decimal | None:
        if not self.planned_visits:
            return None
        return (Decimal(self.logged_visits) / self.planned_visits).quantize(Decimal("0.001"))

    @property
    def spark_last(self) -> str:
        """The sparkline's latest known week as text, so its end is read, not guessed."""
        known = [w for w in self.weekly_productivity if w is not None]
        return _pct(known[-1]) if known else ""

    @property
    def improved_share(self) -> Decimal | None:
        if not self.rated_problems:
            return None
        return (Decimal(self.improved) / self.rated_problems).quantize(Decimal("0.001"))

    def text(self, key: str) -> str:
        """The figure as a person reads it."""
        pct = _pct
        match key:
            case "nurses":
                return gettext("%(count)s of %(limit)s") % {
                    "count": self.nurses,
                    "limit": Team.MAX_NURSES,
                }
            case "contracted_hours":
                return gettext("%(hours)s h (%(week)s h/week)") % {
                    "hours": f"{self.contracted_hours:.0f}",
                    "week": f"{self.contracted_hours_week:.0f}",
                }
            case "delivered_hours":
                return gettext("%(hours)s h") % {"hours": format_number(self.delivered_hours, 1)}
            case "productivity":
                return pct(self.productivity)
            case "visits":
                return gettext("%(count)s of %(limit)s") % {
                    "count": self.logged_visits,
                    "limit": self.planned_visits,
                }
            case "late_share":
                return f"{pct(self.late_share)} ({self.late_visits})"
            case "gaps":
                if not self.gap_count:
                    return gettext("none")
                return gettext("%(gaps)s (%(hours)s h uncovered)") % {
                    "gaps": self.gap_count,
                    "hours": f"{self.gap_hours:.0f}",
                }
            case "outcomes":
                if not self.rated_problems:
                    return gettext("no problems rated twice yet")
                return gettext(
                    "%(better)s better · %(same)s same · %(worse)s worse (of %(rated)s)"
                ) % {
                    "better": self.improved,
                    "same": self.stayed,
                    "worse": self.worsened,
                    "rated": self.rated_problems,
                }
            case "top_problems":
                return ", ".join(f"{name} ({n})" for name, n in self.top_problems) or "–"
            case "continuity":
                if self.continuity is None:
                    return "–"
                # an average ("1.4 nurses"), so always the plural form
                average = format_number(self.continuity, 1)
                return gettext("%(average)s nurses") % {"average": average}
            case "clients_per_nurse" | "nurses_needed":
                value = self.value(key)
                return "–" if value is None else format_number(value, 1)
        value = self.value(key)
        return "–" if value is None else str(value)

    def rows(self, medians: dict[str, Decimal | None] | None = None) -> list[dict]:
        out = []
        for key, (label, definition) in DEFINITIONS.items():
            row = {
                "key": key,
                "label": str(label),
                "definition": str(definition),
                "text": self.text(key),
            }
            if medians is not None:
                row["median"] = _median_text(key, medians.get(key))
            out.append(row)
        return out

    def as_dict(self) -> dict:
        return {
            "team": str(self.team.public_id),
            "team_name": self.team.name,
            "start": self.start,
            "end": self.end,
            "figures": [
                {
                    "key": key,
                    "label": str(label),
                    "definition": str(definition),
                    "value": _json(self.value(key)) if key != "top_problems" else None,
                    "text": self.text(key),
                }
                for key, (label, definition) in DEFINITIONS.items()
            ],
            "details": {
                "intake": self.intake,
                "discharges": self.discharges,
                "contracted_hours_week": _json(self.contracted_hours_week),
                "planned_visits": self.planned_visits,
                "logged_visits": self.logged_visits,
                "late_visits": self.late_visits,
                "gap_hours": _json(self.gap_hours),
                "outcomes": {
                    "rated": self.rated_problems,
                    "improved": self.improved,
                    "same": self.stayed,
                    "worse": self.worsened,
                },
                "top_problems": [{"problem": n, "clients": c} for n, c in self.top_problems],
                "indicated_hours_week": _json(self.indicated_hours_week),
                "weekly_productivity": [_json(w) for w in self.weekly_productivity],
            },
            "split_nudge": self.split_nudge,
        }


def _json(value: Decimal | int | None) -> float | int | None:
    return float(value) if isinstance(value, Decimal) else value


def _pct(value: Decimal | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def _median_text(key: str, value: Decimal | None) -> str:
    if value is None:
        return "–"
    if key in ("productivity", "late_share", "outcomes"):
        text = _pct(value)
        return gettext("%(share)s improved") % {"share": text} if key == "outcomes" else text
    if key in ("contracted_hours", "delivered_hours"):
        return gettext("%(hours)s h") % {"hours": f"{value:.0f}"}
    return format_number(value, 1) if isinstance(value, Decimal) and value % 1 else f"{value:.0f}"


# ---------------------------------------------------------------------------------------------
# the queries (each one GROUP BY team over all requested teams)

Row = Mapping[str, Any]  # one row of `values()`: column name to value


def _in_care(end: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}admitted_on__lte": end}) & (
        Q(**{f"{prefix}discharged_on__isnull": True}) | Q(**{f"{prefix}discharged_on__gt": end})
    )


def _clients(ids: list[int], start: dt.date, end: dt.date) -> dict[int, Row]:
    """Client counts and the care indicated for clients in care, one row per team.

    Joining indications repeats a client per indication, hence the distinct counts.
    """
    in_care = _in_care(end)
    indication_valid = (
        in_care
        & Q(indications__valid_from__lte=end)
        & (Q(indications__valid_until__isnull=True) | Q(indications__valid_until__gte=end))
    )
    rows = (
        Client.objects.filter(team_id__in=ids)
        .values("team_id")
        .annotate(
            active=Count("pk", filter=in_care, distinct=True),
            intake=Count("pk", filter=Q(admitted_on__range=(start, end)), distinct=True),
            discharges=Count("pk", filter=Q(discharged_on__range=(start, end)), distinct=True),
            indicated=Sum("indications__hours_per_week", filter=indication_valid),
        )
        .order_by()
    )
    return {r["team_id"]: r for r in rows}


def _overlap_days(m: dict, start: dt.date, end: dt.date) -> int:
    first = max(m["started_on"], start)
    last = min(m["ended_on"] or end, end)
    return max((last - first).days + 1, 0)


def _memberships(ids: list[int], start: dt.date, end: dt.date) -> dict[int, list[dict]]:
    """Membership rows (a dozen or so per team), for pro-rata contracted hours."""
    rows = (
        Membership.objects.overlapping(start, end)
        .filter(team_id__in=ids)
        .values("team_id", "started_on", "ended_on", "contracted_hours")
        .order_by()
    )
    out: dict[int, list[dict]] = defaultdict(list)
    for r in rows:
        out[r["team_id"]].append(r)
    return out


def _contracted(members: list[dict], start: dt.date, end: dt.date) -> Decimal:
    total = sum((m["contracted_hours"] * _overlap_days(m, start, end) for m in members), Decimal(0))
    return (total / 7).quantize(Decimal("0.1"))


# Which rows count for minutes is `Visit.objects.effective()` / `visit_counts_q()` (one
# definition, shared with billing and outcome reports): done rows that no correction replaces,
# of several corrections of one visit the latest. Counts of visits (planned, logged, late,
# nurses seen) use the original rows only (`corrects` empty), with their own log time.
EFFECTIVE = visit_counts_q()
ORIGINAL = Q(corrects__isnull=True)
# Visits the team owes a log: original rows neither cancelled nor recorded as not done (the
# client was out, refused, in hospital), shared by the live figures and the nightly summary.
TO_LOG = ORIGINAL & ~Q(status__in=[VisitStatus.CANCELLED, VisitStatus.NOT_DONE])


def _local_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return local_datetime(start, dt.time()), local_datetime(end + dt.timedelta(days=1), dt.time())


def _visits(ids: list[int], start: dt.date, end: dt.date, now: dt.datetime) -> dict[int, Row]:
    lo, hi = _local_bounds(start, end)
    done = Q(status=VisitStatus.DONE)
    original_done = ORIGINAL & done
    seen = original_done & Q(nurse__isnull=False)
    rows = (
        Visit.objects.filter(team_id__in=ids, starts_at__gte=lo, starts_at__lt=hi)
        .values("team_id")
        .annotate(
            planned=Count(
                "pk",
                filter=TO_LOG & Q(starts_at__lt=now),
            ),
            logged=Count("pk", filter=original_done),
            minutes=Sum("logged_minutes", filter=EFFECTIVE),
            late=Count("pk", filter=original_done & Q(logged_at__gt=F("ends_at") + LATE_AFTER)),
            pairs=Count(
                Concat(
                    Cast("client_id", CharField()),
                    Value(":"),
                    Cast("nurse_id", CharField()),
                    output_field=CharField(),
                ),
                filter=seen,
                distinct=True,
            ),
            visited=Count("client_id", filter=seen, distinct=True),
        )
        .order_by()
    )
    return {r["team_id"]: r for r in rows}


def _weeks(today: dt.date) -> list[dt.date]:
    """Mondays of the last TREND_WEEKS weeks, the current week last."""
    monday = today - dt.timedelta(days=today.weekday())
    return [monday - dt.timedelta(weeks=n) for n in range(TREND_WEEKS - 1, -1, -1)]


def _weekly_minutes(ids: list[int], weeks: list[dt.date]) -> dict[tuple[int, dt.date], int]:
    lo, hi = _local_bounds(weeks[0], weeks[-1] + dt.timedelta(days=6))
    rows = (
        Visit.objects.effective()
        .filter(team_id__in=ids, starts_at__gte=lo, starts_at__lt=hi)
        .annotate(week=TruncWeek("starts_at"))
        .values("team_id", "week")
        .annotate(minutes=Sum("logged_minutes"))
        .order_by()
    )
    out = {}
    for r in rows:
        week = r["week"]
        week = timezone.localtime(week).date() if isinstance(week, dt.datetime) else week
        out[(r["team_id"], week)] = r["minutes"] or 0
    return out


def _outcomes(ids: list[int], end: dt.date) -> dict[int, dict]:
    """Per client problem rated twice or more up to `end`: first vs latest K+B+S.

    One pass over the teams' ratings with window functions (first score, latest score and
    number of ratings per client problem; one row kept per problem), tallied per team here.
    """
    score = F("knowledge") + F("behavior") + F("status")
    per_problem = [F("client_problem_id")]
    oldest_first = [F("rated_on").asc(), F("id").asc()]
    newest_first = [F("rated_on").desc(), F("id").desc()]
    rows = (
        OutcomeRating.objects.filter(client_problem__client__team_id__in=ids, rated_on__lte=end)
        .annotate(
            first_score=Window(FirstValue(score), partition_by=per_problem, order_by=oldest_first),
            last_score=Window(FirstValue(score), partition_by=per_problem, order_by=newest_first),
            n_ratings=Window(Count("id"), partition_by=per_problem),
            position=Window(RowNumber(), partition_by=per_problem, order_by=oldest_first),
        )
        .filter(position=1, n_ratings__gte=2)
        .values_list("client_problem__client__team_id", "first_score", "last_score")
        .order_by()
    )
    outcomes: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    for team_id, first_score, last_score in rows:
        tally = outcomes[team_id]
        tally["rated"] += 1
        if last_score > first_score:
            tally["improved"] += 1
        elif last_score < first_score:
            tally["worsened"] += 1
        else:
            tally["stayed"] += 1
    return outcomes


def _top_problems(ids: list[int], end: dt.date, top: int = 3) -> dict[int, list]:
    """Problems on the most care plans of clients in care (a client has an active problem
    at most once, by a unique constraint, so rows are clients)."""
    rows = (
        ClientProblem.objects.filter(
            _in_care(end, "client__"), client__team_id__in=ids, status=ProblemStatus.ACTIVE
        )
        .values("client__team_id", "problem__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    worked: dict[int, list] = defaultdict(list)
    for r in rows:
        worked[r["client__team_id"]].append((r["problem__name"], r["n"]))
    return {
        team_id: sorted(items, key=lambda item: (-item[1], item[0]))[:top]
        for team_id, items in worked.items()
    }


PAIR_SHIFT = 32


def pair_key(client_id: int, nurse_id: int) -> int:
    """A (client, nurse) pair as one integer, for `TeamDay.pairs`."""
    return (client_id << PAIR_SHIFT) | nurse_id


def gap_hours(gaps: Sequence[CoverageGap]) -> Decimal:
    return Decimal(sum((g.ends_at - g.starts_at).total_seconds() for g in gaps) / 3600).quantize(
        Decimal("0.1")
    )


@dataclass
class _SummaryDays:
    """What one read of the summary's additive columns gives, per team: the stamp of its rows
    (see `_cached_from_summary`), the period's sums and the sparkline's weeks."""

    stamps: dict[int, tuple[dt.datetime, int]]
    sums: dict[int, dict[str, Any]]
    trend: dict[tuple[int, dt.date], Row]


_PERIOD_SUMS = {
    "planned_visits": "planned_visits",
    "logged_visits": "logged_visits",
    "late_visits": "late_visits",
    "delivered_minutes": "delivered_minutes",
    "intake": "intake",
    "discharges": "discharges",
    "contracted": "contracted_hours_week",
}


def _summary_range(
    start: dt.date, end: dt.date, today: dt.date, with_gaps: bool, with_trend: bool
) -> tuple[dt.date, dt.date]:
    """The first and last day of the summary rows the figures of [start, end] are made of:
    the period, the sparkline's whole weeks, today's row (the rota gaps)."""
    weeks = _weeks(today) if with_trend else []
    first = min([start, *weeks[:1]])
    last = max(
        [end, *([today] if with_gaps else []), *[monday + dt.timedelta(days=6) for monday in weeks]]
    )
    return first, last


def _summary_days(
    in_teams: Q,
    start: dt.date,
    end: dt.date,
    today: dt.date,
    with_gaps: bool,
    with_trend: bool,
) -> _SummaryDays:
    """The summary rows the figures of [start, end] are made of (the period, the sparkline
    weeks, today's row for the gaps), summed in ONE query, one row per team: the newest
    `updated_at` and the number of rows (the cache's stamp), the period's columns (FILTER on
    its days, which are counted to see it is whole) and, per sparkline week, its minutes and
    contracted hours (FILTER on the week, its days counted to see it is whole). One row per
    team rather than per team and week: 50 rows for 50 teams, not 600, each made into Python
    values by Django one column at a time. Read from the covering index (an index-only scan
    where the table is vacuumed).
    """
    weeks = _weeks(today) if with_trend else []
    first, last = _summary_range(start, end, today, with_gaps, with_trend)
    in_period = Q(day__gte=start, day__lte=end)
    per_week: dict[str, Any] = {}
    for n, monday in enumerate(weeks):
        in_week = Q(week=monday)
        per_week[f"w{n}_days"] = Count("pk", filter=in_week)
        per_week[f"w{n}_minutes"] = Sum("delivered_minutes", filter=in_week)
        per_week[f"w{n}_contracted"] = Sum("contracted_hours_week", filter=in_week)
    rows = (
        TeamDay.objects.filter(in_teams, day__gte=first, day__lte=last)
        .values("team_id")
        .annotate(
            rows=Count("pk"),
            stamp=Max("updated_at"),
            days=Count("pk", filter=in_period),
            **per_week,  # (before the period's sums, which reuse the columns' names)
            **{name: Sum(column, filter=in_period) for name, column in _PERIOD_SUMS.items()},
        )
        .order_by()
    )
    stamps: dict[int, tuple[dt.datetime, int]] = {}
    sums: dict[int, dict[str, Any]] = {}
    trend: dict[tuple[int, dt.date], Row] = {}
    for row in cast(Iterable[dict[str, Any]], rows):  # (keys made above: not typed by name)
        team_id = row["team_id"]
        stamps[team_id] = (row["stamp"], row["rows"])
        if row["days"]:
            sums[team_id] = row
        for n, monday in enumerate(weeks):
            trend[(team_id, monday)] = {
                "days": row[f"w{n}_days"],
                "minutes": row[f"w{n}_minutes"],
                "contracted": row[f"w{n}_contracted"],
            }
    return _SummaryDays(stamps, sums, trend)


def _from_summary(
    teams: list[Team] | None,
    start: dt.date,
    end: dt.date,
    today: dt.date,
    with_gaps: bool,
    with_trend: bool,
    days: _SummaryDays | None = None,
) -> dict[int, "TeamFigures"]:
    """Figures of the teams whose days are all in the summary (`TeamDay`), in two queries:
    the summed days (`_summary_days`; `days`: already read, for these teams or more) and the
    state rows.

    A team is served from the summary when it has a row for every day of the period and of
    the 12 sparkline weeks, and the row of the period's end (and of today, for the rota gaps)
    holds the state columns. Other teams are left to the live queries, so a missing or partial
    summary is slower, never wrong.
    """
    if end > today:
        return {}
    # teams=None: every active team the summary holds (for the all-teams median)
    in_teams = Q(team__is_active=True) if teams is None else Q(team_id__in=[t.pk for t in teams])
    weeks = _weeks(today) if with_trend else []
    if days is None:
        days = _summary_days(in_teams, start, end, today, with_gaps, with_trend)
    sums, trend = days.sums, days.trend
    if teams is not None:
        wanted = {t.pk for t in teams}
        sums = {team_id: row for team_id, row in sums.items() if team_id in wanted}
    if not sums:
        return {}  # no summary for this period: everything is live, no more queries here
    # the state at the period's end, and today's row (rota gaps)
    state: dict[tuple[int, dt.date], Row] = {
        (row["team_id"], row["day"]): row
        for row in TeamDay.objects.filter(in_teams, day__in={end, today})
        .values(
            "team_id",
            "day",
            "nurses",
            "contracted_hours_week",
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
            "window_pairs",
            "window_clients",
        )
        .order_by()
    }
    # continuity: for the default period the end row holds it (counted by the refresh);
    # otherwise the database counts distinct pairs over the period's days
    continuity: dict[int, tuple[int, int]] = {}
    if (end - start).days + 1 == DEFAULT_PERIOD_DAYS:
        for (team_id, day), row in state.items():
            if day == end and row["window_pairs"] is not None:
                continuity[team_id] = (row["window_pairs"], row["window_clients"])
    counted = sorted(set(sums) - set(continuity))
    if counted:
        continuity |= _pair_counts(counted, start, end)
    if teams is None:
        teams = [Team(pk=team_id, is_active=True) for team_id in sorted(sums)]
    period_days = (end - start).days + 1
    out: dict[int, TeamFigures] = {}
    for team in teams:
        period = sums.get(team.pk)
        at_end, now_row = state.get((team.pk, end)), state.get((team.pk, today))
        if period is None or period["days"] != period_days:
            continue
        if at_end is None or at_end["state_at"] is None:
            continue
        if with_gaps and (now_row is None or now_row["state_at"] is None):
            continue
        if any(trend.get((team.pk, monday), {}).get("days") != 7 for monday in weeks):
            continue
        pairs, clients = continuity.get(team.pk, (0, 0))
        figures = TeamFigures(
            team=team,
            start=start,
            end=end,
            active_clients=at_end["active_clients"],
            intake=period["intake"],
            discharges=period["discharges"],
            nurses=at_end["nurses"],
            contracted_hours_week=at_end["contracted_hours_week"],
            contracted_hours=_contracted_from_days([period["contracted"]]),
            delivered_hours=(Decimal(period["delivered_minutes"]) / 60).quantize(Decimal("0.1")),
            planned_visits=period["planned_visits"],
            logged_visits=period["logged_visits"],
            late_visits=period["late_visits"],
            rated_problems=at_end["rated_problems"],
            improved=at_end["improved"],
            stayed=at_end["stayed"],
            worsened=at_end["worsened"],
            top_problems=[(name, n) for name, n in at_end["top_problems"] or ()],
            continuity=((Decimal(pairs) / clients).quantize(Decimal("0.01")) if clients else None),
            indicated_hours_week=at_end["indicated_hours_week"],
            as_of=min(r["state_at"] for r in (at_end, now_row) if r is not None),
        )
        if with_gaps and now_row is not None:  # (with_gaps: a team without it was skipped)
            figures.gap_count = now_row["gap_count"]
            figures.gap_hours = now_row["gap_hours"]
        for monday in weeks:
            week = trend[(team.pk, monday)]
            contracted = _contracted_from_days([week["contracted"]])
            figures.weekly_productivity.append(
                (Decimal(week["minutes"]) / 60 / contracted).quantize(Decimal("0.001"))
                if contracted
                else None
            )
        out[team.pk] = figures
    return out


def _pair_counts(
    team_ids: list[int] | None, start: dt.date, end: dt.date
) -> dict[int, tuple[int, int]]:
    """Per team: distinct (client, nurse) pairs and distinct clients over [start, end].

    Counted by the database from each day's `pairs` array, so a coach's dashboard does not
    fetch and decode some 1,500 JSON arrays per request. `team_ids` None: every active team.
    """
    table, teams_table = TeamDay._meta.db_table, Team._meta.db_table
    connection = connections[router.db_for_read(TeamDay)]  # the replica in replica_reads()
    postgres = connection.vendor == "postgresql"
    if team_ids is None:
        which = f"d.team_id IN (SELECT id FROM {teams_table} WHERE is_active)"  # noqa: S608 - fixed names
        params: list = [start, end]
    elif postgres:
        which, params = "d.team_id = ANY(%s)", [list(team_ids), start, end]
    else:
        which = f"d.team_id IN ({', '.join(['%s'] * len(team_ids))})"
        params = [*team_ids, start, end]
    # one row per (day, pair); PostgreSQL unnests jsonb, SQLite walks the JSON with json_each
    pairs, pair = (
        (
            "CROSS JOIN LATERAL "
            "(SELECT value::bigint AS pair FROM jsonb_array_elements_text(d.pairs)) p",
            "p.pair",
        )
        if postgres
        else (", json_each(d.pairs) p", "p.value")
    )
    sql = (
        f"SELECT d.team_id, COUNT(DISTINCT {pair}), COUNT(DISTINCT {pair} >> {PAIR_SHIFT}) "  # noqa: S608 - fixed names; values are parameters
        f"FROM {table} d {pairs} WHERE {which} AND d.day >= %s AND d.day <= %s "
        "GROUP BY d.team_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {team_id: (n_pairs, n_clients) for team_id, n_pairs, n_clients in cursor.fetchall()}


def _contracted_from_days(hours_per_week: Iterable[Decimal]) -> Decimal:
    """The same pro-rata sum as `_contracted`, from each day's contracted hours per week."""
    total = sum(hours_per_week, Decimal(0))
    return (total / 7).quantize(Decimal("0.1"))


FIGURES_CACHE_SECONDS = 30 * 60


def figures_cache_keys(
    teams: Iterable[Team],
    start: dt.date,
    end: dt.date,
    today: dt.date,
    with_gaps: bool = True,
    with_trend: bool = True,
) -> dict[int, str]:
    """The cache key of each team's summary figures for this period (see _cached_from_summary)."""
    variant = f"{start}:{end}:{today}:{int(with_gaps)}{int(with_trend)}"
    # (v2: an entry is (stamp, a tuple of _ENTRY_FIELDS), no longer a pickled TeamFigures)
    return {team.pk: f"coaching:figures:v2:{team.pk}:{variant}" for team in teams}


DEFAULT_PERIOD_DAYS = 28


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The dashboards' period unless the user picks one: the last four weeks, today included."""
    return today - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1), today


# `TeamPeriodFigures`: each team's figures for the default period, finished by the summary
# refresh. Its columns are the TeamFigures fields below; the sparkline is kept as decimal text.
FINISHED_FIELDS = [
    "as_of",
    "active_clients",
    "intake",
    "discharges",
    "nurses",
    "contracted_hours_week",
    "contracted_hours",
    "delivered_hours",
    "planned_visits",
    "logged_visits",
    "late_visits",
    "gap_count",
    "gap_hours",
    "rated_problems",
    "improved",
    "stayed",
    "worsened",
    "top_problems",
    "continuity",
    "indicated_hours_week",
    "weekly_productivity",
]


def finished_figures_columns(figures: TeamFigures) -> dict[str, Any]:
    """The `TeamPeriodFigures` columns of these figures (the summary refresh writes them)."""
    columns = {name: getattr(figures, name) for name in FINISHED_FIELDS}
    columns["top_problems"] = [[name, n] for name, n in figures.top_problems]
    columns["weekly_productivity"] = [
        None if week is None else str(week) for week in figures.weekly_productivity
    ]
    return columns


def _finished_rows(*, team_ids: list[int], day: dt.date) -> QuerySet[TeamPeriodFigures, tuple]:
    return TeamPeriodFigures.objects.filter(AnyOf(F("team_id"), team_ids), day=day).values_list(
        "team_id", *FINISHED_FIELDS
    )


# compiled once per process (buurtzorg.compiled): the ids are one array parameter (AnyOf), so
# the statement is the same for any number of teams
_FINISHED_ROWS = Statement(
    TeamPeriodFigures,
    _finished_rows,
    team_ids=([-7_301_946_411], [-7_301_946_412]),
    day=(dt.date(1901, 1, 1), dt.date(1901, 1, 2)),
)


def _from_finished(
    teams: list[Team], start: dt.date, end: dt.date, today: dt.date
) -> dict[int, TeamFigures]:
    """Figures of the default period up to today, as the last summary refresh finished them
    (`TeamPeriodFigures`): one query, one row per team. Teams without a row are left out."""
    if (start, end) != default_period(today):
        return {}
    by_pk = {team.pk: team for team in teams}
    rows = _FINISHED_ROWS.rows(team_ids=list(by_pk), day=end)
    out: dict[int, TeamFigures] = {}
    for team_id, *values in rows:
        figures = TeamFigures(
            by_pk[team_id], start, end, **dict(zip(FINISHED_FIELDS, values, strict=True))
        )
        figures.top_problems = [(name, n) for name, n in figures.top_problems]
        figures.weekly_productivity = [
            None if week is None else Decimal(week) for week in figures.weekly_productivity
        ]
        out[team_id] = figures
    return out


# The fields a cache entry keeps, in this order: all but the team (whoever reads an entry
# sets her own). A plain tuple, not the dataclass with a Team inside: a fraction of the cost
# to pickle for 50 teams and to read back.
_ENTRY_FIELDS = [f.name for f in fields(TeamFigures) if f.name != "team"]


def _entry(figures: TeamFigures) -> tuple:
    return tuple(getattr(figures, name) for name in _ENTRY_FIELDS)


def _from_entry(team: Team, values: tuple) -> TeamFigures:
    return TeamFigures(team, *values)


def _summary_stamps(
    team_ids: list[int],
    start: dt.date,
    end: dt.date,
    today: dt.date,
    with_gaps: bool,
    with_trend: bool,
) -> dict[int, tuple[dt.datetime, int]]:
    """Per team: the newest `updated_at` and the number of the summary rows that its figures
    for this period are made of (the rows `_summary_days` sums), and nothing else."""
    first, last = _summary_range(start, end, today, with_gaps, with_trend)
    return {
        row["team_id"]: (row["stamp"], row["rows"])
        for row in TeamDay.objects.filter(team_id__in=team_ids, day__gte=first, day__lte=last)
        .values("team_id")
        .annotate(stamp=Max("updated_at"), rows=Count("pk"))
        .order_by()
    }


def _cached_from_summary(
    teams: list[Team],
    start: dt.date,
    end: dt.date,
    today: dt.date,
    with_gaps: bool,
    with_trend: bool,
) -> dict[int, "TeamFigures"]:
    """`_from_summary`, through the cache, exact: each entry carries the stamp of its rows.

    The stamp is, per team, the newest `updated_at` and the number of the summary rows the
    figures are made of (the period, the sparkline weeks, today's row); an entry counts only
    while both are unchanged. Every write to the summary (the refresh every 10 minutes, the
    nightly one) upserts rows with a new `updated_at`, so a figure is never older than the
    summary itself. When every team has an entry, one query reads the stamps alone: a coach
    who goes from her dashboard to a team page and back, or reloads it, reads her 50 teams'
    figures from the cache (no arithmetic). When some have none (the first view of a period
    after a refresh), the query that sums the rows (`_summary_days`) gives the stamps too,
    and the state rows are one query more. (The default period up to today does not come
    here: the refresh finishes its figures, see `_from_finished`.)
    """
    if end > today:
        return {}
    keys = figures_cache_keys(teams, start, end, today, with_gaps, with_trend)
    cached = cache.get_many(list(keys.values()))
    ids = [t.pk for t in teams]
    days: _SummaryDays | None = None
    if len(cached) == len(keys):
        stamps = _summary_stamps(ids, start, end, today, with_gaps, with_trend)
    else:
        days = _summary_days(Q(team_id__in=ids), start, end, today, with_gaps, with_trend)
        stamps = days.stamps
    if not stamps:
        return {}  # no summary for these teams: all live, no cache
    out: dict[int, TeamFigures] = {}
    for team in teams:
        entry = cached.get(keys[team.pk])
        if entry is not None and entry[0] == stamps.get(team.pk):
            out[team.pk] = _from_entry(team, entry[1])  # this request's team (name, space)
    missing = [t for t in teams if t.pk not in out and t.pk in stamps]
    if missing:
        if days is None:  # entries a refresh made stale: sum these teams' rows
            days = _summary_days(
                Q(team_id__in=[t.pk for t in missing]),
                start,
                end,
                today,
                with_gaps,
                with_trend,
            )
        fresh = _from_summary(missing, start, end, today, with_gaps, with_trend, days)
        entries = {keys[pk]: (stamps[pk], _entry(f)) for pk, f in fresh.items()}
        cache.set_many(entries, FIGURES_CACHE_SECONDS)
        out.update(fresh)
    return out


def team_figures(
    *,
    teams: Iterable[Team],
    start: dt.date,
    end: dt.date,
    today: dt.date | None = None,
    with_gaps: bool = True,
    with_trend: bool = True,
    cached: bool = False,
) -> list[TeamFigures]:
    """Figures of every team in `teams` for the period [start, end] (dates, both included).

    A constant number of queries whatever the number of teams. The default period up to
    today (the dashboards' own) is one read of the figures the summary refresh finished
    (`TeamPeriodFigures`). Other periods, and teams without finished figures, are read from
    the daily summary (`TeamDay`, see `coaching.summary`), and the teams it does not cover for
    the period computed live (see the module docstring). `cached`: the summary read goes
    through the cache (see `_cached_from_summary`), worth its extra query for a coach's many
    teams, not for one.
    """
    teams = list(teams)  # who may see which team: decided on the primary, before the block
    if not teams:
        return []
    today = today or timezone.localdate()
    read = _cached_from_summary if cached else _from_summary
    # Read-only aggregates: on the replica when there is one (unless this user just wrote).
    with replica_reads():
        # the dashboards' default period: finished by the summary refresh, one row per team
        summarised = _from_finished(teams, start, end, today) if with_gaps and with_trend else {}
        rest = [t for t in teams if t.pk not in summarised]
        if rest:
            summarised |= read(rest, start, end, today, with_gaps, with_trend)
            rest = [t for t in rest if t.pk not in summarised]
        live = {
            f.team.pk: f
            for f in _live_figures(
                rest, start=start, end=end, today=today, with_gaps=with_gaps, with_trend=with_trend
            )
        }
    return [summarised.get(t.pk) or live[t.pk] for t in teams]


def _live_figures(
    teams: list[Team],
    *,
    start: dt.date,
    end: dt.date,
    today: dt.date,
    with_gaps: bool,
    with_trend: bool,
) -> list[TeamFigures]:
    """The figures computed from the source tables (the reference the summary must equal)."""
    ids = [t.pk for t in teams]
    if not ids:
        return []
    now = timezone.now()
    clients = _clients(ids, start, end)
    members = _memberships(
        ids, min(start, today - dt.timedelta(weeks=TREND_WEEKS)), max(end, today)
    )
    visits = _visits(ids, start, end, now)
    outcomes = _outcomes(ids, end)
    top = _top_problems(ids, end)
    gaps: dict[int, list[CoverageGap]] = {}
    if with_gaps:
        gap_start = local_datetime(today, dt.time())
        gaps = coverage_gaps_for_teams(
            team_ids=ids,
            start=gap_start,
            end=local_datetime(today + dt.timedelta(days=GAP_DAYS), dt.time()),
        )
    weeks = _weeks(today) if with_trend else []
    weekly = _weekly_minutes(ids, weeks) if with_trend else {}
    out = []
    for team in teams:
        c, v, o = clients.get(team.pk, {}), visits.get(team.pk, {}), outcomes.get(team.pk, {})
        rows = members.get(team.pk, [])
        active_at_end = [
            m
            for m in rows
            if m["started_on"] <= end and (m["ended_on"] is None or m["ended_on"] >= end)
        ]
        figures = TeamFigures(
            team=team,
            start=start,
            end=end,
            active_clients=c.get("active", 0),
            intake=c.get("intake", 0),
            discharges=c.get("discharges", 0),
            nurses=len(active_at_end),
            contracted_hours_week=sum((m["contracted_hours"] for m in active_at_end), Decimal(0)),
            contracted_hours=_contracted(rows, start, end),
            delivered_hours=(Decimal(v.get("minutes") or 0) / 60).quantize(Decimal("0.1")),
            planned_visits=v.get("planned", 0),
            logged_visits=v.get("logged", 0),
            late_visits=v.get("late", 0),
            rated_problems=o.get("rated", 0),
            improved=o.get("improved", 0),
            stayed=o.get("stayed", 0),
            worsened=o.get("worsened", 0),
            top_problems=top.get(team.pk, []),
            continuity=(
                (Decimal(v["pairs"]) / v["visited"]).quantize(Decimal("0.01"))
                if v.get("visited")
                else None
            ),
            indicated_hours_week=c.get("indicated") or Decimal(0),
        )
        team_gaps = gaps.get(team.pk, [])
        figures.gap_count = len(team_gaps)
        figures.gap_hours = gap_hours(team_gaps)
        for monday in weeks:
            sunday = monday + dt.timedelta(days=6)
            contracted = _contracted(rows, monday, sunday)
            minutes = weekly.get((team.pk, monday), 0)
            figures.weekly_productivity.append(
                (Decimal(minutes) / 60 / contracted).quantize(Decimal("0.001"))
                if contracted
                else None
            )
        out.append(figures)
    return out


def all_team_figures(*, start: dt.date, end: dt.date, today: dt.date | None = None) -> list:
    """Figures of every active team for the period (no sparkline), for the all-teams median.

    From the summary in one query when it covers the period; teams it does not cover yet
    (created since the last refresh) are left out of the median until the next refresh.
    With no summary at all (a fresh install) every active team is computed live.
    """
    today = today or timezone.localdate()
    with replica_reads():
        summarised = _from_summary(None, start, end, today, with_gaps=True, with_trend=False)
    if summarised:
        return list(summarised.values())
    return team_figures(
        teams=Team.objects.filter(is_active=True),
        start=start,
        end=end,
        today=today,
        with_trend=False,
    )


MEDIAN_KEYS = [k for k in DEFINITIONS if k != "top_problems"]


def figure_medians(figures: Sequence[TeamFigures]) -> dict[str, Decimal | None]:
    """Median of each figure over the given teams (anonymous: no team is named)."""
    medians: dict[str, Decimal | None] = {}
    for key in MEDIAN_KEYS:
        values = [Decimal(v) for f in figures if (v := f.value(key)) is not None]
        medians[key] = Decimal(statistics.median(values)) if values else None
    return medians


def sparkline_points(values: Sequence[Decimal | None], width: int = 120, height: int = 32) -> str:
    """SVG polyline points for a sparkline (server-side; missing weeks are skipped)."""
    known = [float(v) for v in values if v is not None]
    if not known:
        return ""
    top = max(max(known), 0.01)
    step = width / max(len(values) - 1, 1)
    pad = 2
    points = []
    for i, v in enumerate(values):
        if v is None:
            continue
        y = height - pad - (float(v) / top) * (height - 2 * pad)
        points.append(f"{i * step:.1f},{y:.1f}")
    return " ".join(points)


# ---------------------------------------------------------------------------------------------
# the coach dashboard's order: `?sort=<key>` ascending, `?sort=-<key>` descending, over this
# whitelist only (anything else is the default, what needs attention first)

DEFAULT_SORT = "attention"


def _none_last(value: Decimal | int | None, descending: bool) -> tuple:
    # None sorts after every number in both directions
    if value is None:
        return (1, 0)
    return (0, -value if descending else value)


SORT_KEYS: dict[str, Any] = {
    "team": lambda f: f.team.name.casefold(),
    "light": lambda f: f.light.rank,
    "gaps": lambda f: f.gap_count,
    "productivity": lambda f: f.productivity,
    "visits": lambda f: f.logged_share,
    "late_share": lambda f: f.late_share,
    "active_clients": lambda f: f.active_clients,
    "nurses": lambda f: f.nurses,
    "outcomes": lambda f: f.improved_share,
    "unread": lambda f: f.unread,
}


def dashboard_sort(figures: list[TeamFigures], sort: str) -> tuple[list[TeamFigures], str]:
    """The teams in the asked order and the sort actually used (a key outside `SORT_KEYS`
    falls back to the default). Ties keep the attention order, then the team's name."""
    by_attention = sorted(figures, key=lambda f: f.attention)
    descending = sort.startswith("-")
    key = sort.removeprefix("-")
    if key not in SORT_KEYS:
        return by_attention, DEFAULT_SORT
    value = SORT_KEYS[key]
    if key == "team":
        ordered = sorted(by_attention, key=value, reverse=descending)
    else:
        ordered = sorted(by_attention, key=lambda f: _none_last(value(f), descending))
    return ordered, sort
