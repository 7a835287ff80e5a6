"""The numbers of an outcome report, computed by the database (values().annotate()).

Definitions (also printed in the report):
- clients in the period: admitted on or before its last day and not discharged before its
  first day, in the team / neighbourhood / organisation;
- problems addressed: client problems open at some point in the period;
- admission rating: the rating marked "admission", else the first rating; latest rating: the
  rating marked "discharge", else the last rating up to the end of the period. A problem
  counts for the K/B/S comparison only with two different ratings;
- improved: the sum K+B+S of the latest rating is higher than at admission;
- interventions: care-plan lines of the problems addressed, by category and target;
- hours of care: minutes of the services logged on the period's visits that count
  (`Visit.objects.effective()`, the definition billing and the dashboards use), per client.
"""

import datetime as dt
import statistics
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext

from clients.models import Client, ClientProblem, Intervention, OutcomeRating, RatingMoment
from omaha.reports.models import OutcomeReport, ReportScope
from scheduling.models import Visit, VisitService

HOUR_BUCKETS = [(0, 5), (5, 10), (10, 20), (20, 40), (40, None)]


def scope_clients(report: OutcomeReport) -> QuerySet[Client]:
    clients = Client.objects.filter(admitted_on__lte=report.period_end).filter(
        Q(discharged_on__isnull=True) | Q(discharged_on__gte=report.period_start)
    )
    if report.scope == ReportScope.TEAM and report.team_id is not None:
        return clients.filter(team_id=report.team_id)
    if report.scope == ReportScope.NEIGHBOURHOOD and report.neighbourhood_id is not None:
        return clients.filter(team__neighbourhood_id=report.neighbourhood_id)
    if report.scope != ReportScope.ORGANISATION:
        # unreachable: outcomereport_scope_matches_target gives every scope its target; never
        # fall back to the whole organisation
        raise ValueError(f"{report.scope} report {report.pk} has no {report.scope}")
    return clients


def scope_problems(report: OutcomeReport) -> QuerySet[ClientProblem]:
    return ClientProblem.objects.filter(
        client__in=scope_clients(report), identified_on__lte=report.period_end
    ).filter(Q(resolved_on__isnull=True) | Q(resolved_on__gte=report.period_start))


def problems_by_domain(report: OutcomeReport) -> list[dict[str, Any]]:
    rows = (
        scope_problems(report)
        .values(
            "problem__domain__number",
            "problem__domain__name",
            "problem__number",
            "problem__code",
            "problem__name",
        )
        .annotate(clients=Count("client", distinct=True), problems=Count("id"))
        .order_by("problem__domain__number", "problem__number")
    )
    return [
        {
            "domain": r["problem__domain__name"],
            "code": r["problem__code"],
            "problem": r["problem__name"],
            "clients": r["clients"],
            "problems": r["problems"],
        }
        for r in rows
    ]


def clients_by_domain(report: OutcomeReport) -> list[dict[str, Any]]:
    rows = (
        scope_problems(report)
        .values("problem__domain__number", "problem__domain__name")
        .annotate(clients=Count("client", distinct=True))
        .order_by("problem__domain__number")
    )
    return [{"domain": r["problem__domain__name"], "clients": r["clients"]} for r in rows]


def _first_and_last(end: dt.date) -> tuple[QuerySet[OutcomeRating], QuerySet[OutcomeRating]]:
    """A problem's ratings up to `end`: admission first, else the first; discharge first, else
    the last (each for `OuterRef("pk")`, a client problem)."""
    ratings = OutcomeRating.objects.filter(client_problem=OuterRef("pk"), rated_on__lte=end)
    first = ratings.order_by(
        Case(When(moment=RatingMoment.ADMISSION, then=Value(0)), default=Value(1)),
        "rated_on",
        "id",
    )
    last = ratings.order_by(
        Case(When(moment=RatingMoment.DISCHARGE, then=Value(0)), default=Value(1)),
        "-rated_on",
        "-id",
    )
    return first, last


def _one(ratings: QuerySet[OutcomeRating], field: str) -> Subquery:
    return Subquery(ratings.values(field)[:1], output_field=IntegerField())


def kbs_by_problem(report: OutcomeReport) -> list[dict[str, Any]]:
    """Mean K/B/S at admission and latest, and the share improved, per problem (one query)."""
    first, last = _first_and_last(report.period_end)
    rows = (
        scope_problems(report)
        .annotate(
            first_id=_one(first, "id"),
            last_id=_one(last, "id"),
            k0=_one(first, "knowledge"),
            b0=_one(first, "behavior"),
            s0=_one(first, "status"),
            k1=_one(last, "knowledge"),
            b1=_one(last, "behavior"),
            s1=_one(last, "status"),
        )
        .filter(first_id__isnull=False)
        .exclude(first_id=F("last_id"))
        .values("problem__number", "problem__code", "problem__name")
        .annotate(
            rated=Count("id"),
            avg_k0=Avg("k0"),
            avg_b0=Avg("b0"),
            avg_s0=Avg("s0"),
            avg_k1=Avg("k1"),
            avg_b1=Avg("b1"),
            avg_s1=Avg("s1"),
            improved=Count("id", filter=Q(k1__isnull=False) & Q(_improved_condition())),
        )
        .order_by("problem__number")
    )
    return [
        {
            "code": r["problem__code"],
            "problem": r["problem__name"],
            "rated": r["rated"],
            "k0": round(float(r["avg_k0"]), 2),
            "b0": round(float(r["avg_b0"]), 2),
            "s0": round(float(r["avg_s0"]), 2),
            "k1": round(float(r["avg_k1"]), 2),
            "b1": round(float(r["avg_b1"]), 2),
            "s1": round(float(r["avg_s1"]), 2),
            "improved": r["improved"],
            "share_improved": round(r["improved"] / r["rated"], 3) if r["rated"] else 0.0,
        }
        for r in rows
    ]


def _improved_condition() -> Q:
    return Q(GreaterThan(F("k1") + F("b1") + F("s1"), F("k0") + F("b0") + F("s0")))


def interventions_by_category(report: OutcomeReport) -> list[dict[str, Any]]:
    rows = (
        Intervention.objects.filter(client_problem__in=scope_problems(report))
        .values("category__number", "category__name", "target__number", "target__name")
        .annotate(count=Count("id"), clients=Count("client_problem__client", distinct=True))
        .order_by("category__number", "target__number")
    )
    return [
        {
            "category": r["category__name"],
            "target": r["target__name"],
            "count": r["count"],
            "clients": r["clients"],
        }
        for r in rows
    ]


def minutes_per_client(report: OutcomeReport) -> dict[int, int]:
    """Logged service minutes per client in the period (one GROUP BY)."""
    tz = ZoneInfo(settings.TIME_ZONE)
    start = dt.datetime.combine(report.period_start, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(report.period_end + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    rows = (
        VisitService.objects.filter(
            visit__in=Visit.objects.effective().filter(
                client__in=scope_clients(report), starts_at__gte=start, starts_at__lt=end
            )
        )
        .values("visit__client_id")
        .annotate(minutes=Sum("minutes"))
        .order_by()
    )
    return {r["visit__client_id"]: r["minutes"] or 0 for r in rows}


def hours_summary(minutes: dict[int, int]) -> dict[str, Any]:
    hours = sorted(m / 60 for m in minutes.values())
    buckets = []
    for low, high in HOUR_BUCKETS:
        # stored with the result: in the language the report is built in
        if high is None:
            label = gettext("%(low)s+ h") % {"low": low}
        else:
            label = gettext("%(low)s-%(high)s h") % {"low": low, "high": high}
        count = sum(1 for h in hours if h >= low and (high is None or h < high))
        buckets.append({"label": label, "clients": count})
    return {
        "clients_with_care": len(hours),
        "total_hours": round(sum(hours), 2),
        "mean_hours": round(statistics.fmean(hours), 2) if hours else 0.0,
        "median_hours": round(statistics.median(hours), 2) if hours else 0.0,
        "max_hours": round(hours[-1], 2) if hours else 0.0,
        "buckets": buckets,
    }


def per_client_rows(report: OutcomeReport, minutes: dict[int, int]) -> list[dict[str, Any]]:
    """Names: only ever called for a per-client report asked by a nurse of the team."""
    problems = dict(
        scope_problems(report)
        .values("client_id")
        .annotate(n=Count("id"))
        .values_list("client_id", "n")
    )
    return [
        {
            "client": c.display_name,
            "public_id": str(c.public_id),
            "problems": problems.get(c.pk, 0),
            "hours": round(minutes.get(c.pk, 0) / 60, 2),
        }
        for c in scope_clients(report).order_by("last_name", "first_name", "id")
    ]


def compute(report: OutcomeReport, progress: Any = None) -> dict[str, Any]:
    """All sections of the report as plain JSON-able data."""
    steps = [
        ("clients_by_domain", clients_by_domain),
        ("problems", problems_by_domain),
        ("kbs", kbs_by_problem),
        ("interventions", interventions_by_category),
    ]
    result: dict[str, Any] = {
        "clients": scope_clients(report).count(),
        "period": [report.period_start.isoformat(), report.period_end.isoformat()],
        "scope": report.scope_label,
    }
    for n, (key, function) in enumerate(steps, start=1):
        result[key] = function(report)
        if progress:
            progress(n)
    minutes = minutes_per_client(report)
    result["hours"] = hours_summary(minutes)
    if report.per_client:
        result["per_client"] = per_client_rows(report, minutes)
    if progress:
        progress(len(steps) + 1)
    return result


STEPS = 5
