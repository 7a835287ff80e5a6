"""Reads of reports (no logging here: `scheduling.carenotes.reads` gates and logs)."""

import datetime as dt
from uuid import UUID

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import (
    Count,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from clients.models import Client
from scheduling.carenotes.models import CareReport, HandoverRead
from scheduling.models import Shift, Visit, VisitStatus
from teams.models import Team, User

# My day counts what is new since the nurse's previous visit; a client she never visited
# counts the reports of this many days before the visit.
NEW_SINCE_DEFAULT_DAYS = 7


def report_list_for_client(*, client: Client) -> QuerySet[CareReport]:
    """A client's reports, newest first, with what the timeline shows of each (one query).

    The client is not joined (the caller has it; `client_timeline_read` sets it on the rows):
    PostgreSQL spent ~50 ms choosing the order of eight joins for a 1 ms query.
    """
    return (
        CareReport.objects.filter(client=client)
        .select_related("author", "client_problem__problem", "replaced_by", "replaces", "visit")
        .order_by("-written_at", "-public_id")
    )


def report_get_for_client(*, client: Client, public_id: UUID | str) -> CareReport:
    return get_object_or_404(
        CareReport.objects.select_related("client", "client_problem__problem", "author"),
        client=client,
        public_id=public_id,
    )


def shift_start_today(*, nurse: User, now: dt.datetime) -> dt.datetime | None:
    """The start of the nurse's shift running now, else of her first shift today."""
    today_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    shift = (
        Shift.objects.filter(nurse=nurse, starts_at__lte=now, ends_at__gt=today_start)
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return shift


# Read marks older than this are not looked up: the handover reaches back at most 72 hours
# (and a mark is always made after its item appeared).
READ_MARKS_HOURS = 73


def handover_team(*, nurse: User, now: dt.datetime) -> tuple[Team, dt.datetime | None, set[str]]:
    """The nurse's team, the start of her shift today (or None) and her recent read marks.

    One query on PostgreSQL (the shift and the marks are subqueries of the team's row), so
    the handover page stays within its query budget; elsewhere (SQLite) three. 404 without
    a team.
    """
    today_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    shift = (
        Shift.objects.filter(nurse=nurse, starts_at__lte=now, ends_at__gt=today_start)
        .order_by("-starts_at")
        .values("starts_at")[:1]
    )
    marks = HandoverRead.objects.filter(
        nurse=nurse, created_at__gte=now - dt.timedelta(hours=READ_MARKS_HOURS)
    ).values("item_key")
    teams = Team.objects.visible_to(nurse).order_by("name")
    if connection.vendor != "postgresql":
        team = get_object_or_404(teams[:1])
        return (
            team,
            shift_start_today(nurse=nurse, now=now),
            set(marks.values_list("item_key", flat=True)),
        )
    team = get_object_or_404(
        teams.annotate(
            shift_start=Subquery(shift, output_field=DateTimeField()),
            read_keys=ArraySubquery(marks),
        )[:1]
    )
    return team, team.shift_start, set(team.read_keys)


def my_day_annotate_new_reports(
    *, visits: QuerySet[Visit], nurse: User, now: dt.datetime
) -> QuerySet[Visit]:
    """Listed in `settings.MY_DAY_VISIT_ANNOTATIONS`: each card of My day gets `new_reports`,
    the reports about its client written by others since the nurse's previous (done) visit
    to that client (up to `now`), in the same query as the visits (correlated subqueries)."""
    previous = (
        Visit.objects.filter(
            client=OuterRef("client"),
            nurse=nurse,
            status=VisitStatus.DONE,
            starts_at__lt=OuterRef("starts_at"),
        )
        .order_by("-starts_at")
        .values("starts_at")[:1]
    )
    # The previous visit's time is its own annotation, so PostgreSQL computes it once per
    # card, not once per report it compares (the reports' range then uses their index).
    visits = visits.annotate(
        new_since=Coalesce(
            Subquery(previous, output_field=DateTimeField()),
            F("starts_at") - dt.timedelta(days=NEW_SINCE_DEFAULT_DAYS),
        )
    )
    reports = (
        CareReport.objects.filter(
            client=OuterRef("client"),
            replaced_by__isnull=True,
            written_at__gt=OuterRef("new_since"),
            written_at__lte=now,
        )
        .exclude(author=nurse)
        .order_by()
        .values("client")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return visits.annotate(new_reports=Coalesce(Subquery(reports, output_field=IntegerField()), 0))


def report_filter(
    reports: QuerySet[CareReport],
    *,
    problem: str = "",
    author: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
    query: str = "",
) -> QuerySet[CareReport]:
    """The timeline's filters: a problem's public id ("general" for general notes), an
    author's public id, a period of local days (inclusive), words in the text or S/O/A/P."""
    if problem == "general":
        reports = reports.filter(client_problem__isnull=True)
    elif problem:
        reports = reports.filter(client_problem__public_id=problem)
    if author:
        reports = reports.filter(author__public_id=author)
    tz = timezone.get_current_timezone()
    if start:
        reports = reports.filter(written_at__gte=dt.datetime.combine(start, dt.time(), tz))
    if end:
        next_day = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tz)
        reports = reports.filter(written_at__lt=next_day)
    for word in query.split()[:5]:
        reports = reports.filter(
            Q(text__icontains=word)
            | Q(subjective__icontains=word)
            | Q(objective__icontains=word)
            | Q(assessment__icontains=word)
            | Q(plan__icontains=word)
        )
    return reports
