"""The month's minutes per client, service and DATE of care, added up by the database.

One GROUP BY over VisitService (joined to Visit and Client) gives a row per client, service
and day of care (the visit's local date) with its hourly rate, the summed minutes and the
list of visits: the declaration's service record (04) is per day of care
(docs/declaration-file.md).

Each visit is priced with the tariff valid ON ITS DATE OF SERVICE (the local date it started),
not the date of the run: the query joins the client's insurer's contract for the year of care
and the service's tariff whose validity covers that date (`_with_tariff`). A month in which
the rate changed gives its days before and after at their own rates; a visit whose date
no tariff covers lands in a group without a rate (left out and counted as unpriced; the
pre-flight names the visit). The join is a hash join on a table of a few dozen rows: it costs
a national month next to nothing, where a subquery per visit would run a million times.

Which visits count:
- effective visits, `Visit.objects.effective()` (the one definition, shared with the
  dashboards and outcome reports): done visits that no correction replaces; of several
  corrections of one visit only the latest counts; cancelled visits never;
- billable services only (`CareService.is_billable`);
- for the billed month: visits not billed yet (`billed_at` empty);
- for corrections: a month that is already closed for the client's insurer, in which the
  client has an effective visit that is not billed yet (a correction or a late entry). That
  month is credited in full (net of what was billed for it before) and then billed again from
  all its effective visits: credit first, then resubmit; never a silent edit.
"""

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    Aggregate,
    Exists,
    F,
    FilteredRelation,
    JSONField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import TruncDate

from clients.models import Insurer
from scheduling.billing.models import BillingRun, InvoiceLine, Rejection, RunStatus
from scheduling.models import Visit, VisitService


class IdList(Aggregate):
    """The ids of a group as a JSON array (PostgreSQL jsonb_agg, SQLite json array).

    No DISTINCT: (visit, service) is unique, so a visit appears once per client-service group,
    and skipping the DISTINCT saves PostgreSQL a sort. Callers sort (and dedupe) in Python.
    """

    function = "JSONB_AGG"
    template = "%(function)s(%(expressions)s)"
    output_field = JSONField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            function="JSON_GROUP_ARRAY",
            template="%(function)s(%(expressions)s)",
            **extra,
        )


def month_bounds(period: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month as local-time instants [start, end): a visit at 00:30 on the 1st is that month."""
    tz = ZoneInfo(settings.TIME_ZONE)
    start = dt.datetime(period.year, period.month, 1, tzinfo=tz)
    following = (period.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    end = dt.datetime(following.year, following.month, 1, tzinfo=tz)
    return start, end


def next_month(period: dt.date) -> dt.date:
    return (period.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def scope_filter(insurer: Insurer | None, prefix: str = "") -> Q:
    return Q(**{f"{prefix}client__insurer": insurer}) if insurer else Q()


@dataclass(frozen=True, slots=True)
class Group:
    """A client's minutes for one service on one day: a future invoice line. `hourly_rate`
    is None when no tariff covers that date (left unpriced)."""

    client_id: int
    insurer_id: int
    bsn: str
    policy_number: str
    service_id: int
    service_code: str
    period: dt.date
    service_date: dt.date
    minutes: int
    visit_ids: tuple[int, ...]
    hourly_rate: Decimal | None = None


GROUP_FIELDS = (
    "visit__client_id",
    "visit__client__insurer_id",
    "visit__client__bsn",
    "visit__client__policy_number",
    "service_id",
    "service__code",
    "tariff__hourly_rate",
    "service_day",
)


def service_day() -> TruncDate:
    """The date of service of a VisitService row: the local date its visit started."""
    return TruncDate("visit__starts_at", tzinfo=ZoneInfo(settings.TIME_ZONE))


def _with_tariff(rows: QuerySet[VisitService], *, year: int) -> QuerySet[VisitService]:
    """`rows` with `tariff`: the tariff valid on each row's date of service, in the contract
    of the client's insurer for `year` (the year of care), through two LEFT JOINs.

    The tariffs of one service in one contract never overlap (exclusion constraint), so at
    most one matches and the join never multiplies a row.
    """
    return rows.annotate(
        service_day=service_day(),
        contract=FilteredRelation(
            "visit__client__insurer__contracts",
            condition=Q(visit__client__insurer__contracts__year=year),
        ),
    ).annotate(
        tariff=FilteredRelation(
            "service__tariffs",
            condition=Q(
                service__tariffs__contract_id=F("contract__id"),
                service__tariffs__valid_from__lte=F("service_day"),
            )
            & (
                Q(service__tariffs__valid_until__isnull=True)
                | Q(service__tariffs__valid_until__gte=F("service_day"))
            ),
        ),
    )


def _group_rows(rows: QuerySet) -> Iterator[tuple]:
    """The raw rows of `rows`, streamed: never the whole result in memory.

    On PostgreSQL through psycopg's chunked-rows mode (`cursor.stream`): the query runs as an
    ordinary statement, so PostgreSQL still plans it with parallel workers (a server-side
    cursor, QuerySet.iterator(), plans for the first rows and never uses them: that made a
    national month's read 9 s instead of 4), while the rows come in chunks instead of one
    result of a million rows held by the client library.
    """
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            stream = cursor.cursor.stream(sql, params, size=5000)
            first = True
            for row in stream:
                if first and len(cursor.cursor.description) != len(GROUP_FIELDS) + 2:
                    raise RuntimeError("billing groups: unexpected columns")
                first = False
                yield row
            return
        cursor.execute(sql, params)
        if len(cursor.description) != len(GROUP_FIELDS) + 2:
            raise RuntimeError("billing groups: unexpected columns")
        while chunk := cursor.fetchmany(5000):
            yield from chunk


def _iter_groups(rows: QuerySet, period: dt.date) -> Iterator[Group]:
    """The groups of `rows` (a values() queryset of GROUP_FIELDS, minutes and visit_ids), one
    at a time. Values that repeat from row to row (a client's BSN and policy number, the day,
    the rate) are shared objects, so lines made from the groups stay small."""
    shared: dict[Any, Any] = {}
    clients: dict[int, int] = {}  # apart: a rate Decimal("5") would equal client id 5
    for row in _group_rows(rows):
        client_id, insurer_id, bsn, policy, service_id, code, rate, day, minutes, ids = row
        if isinstance(ids, str):
            ids = json.loads(ids)
        yield Group(
            client_id=clients.setdefault(client_id, client_id),
            insurer_id=insurer_id,
            # An erased client has no BSN (NULL): the line says so with "", which
            # the pre-flight reports and which blocks finalising.
            bsn=shared.setdefault(bsn or "", bsn or ""),
            policy_number=shared.setdefault(policy, policy),
            service_id=service_id,
            service_code=shared.setdefault(code, code),
            period=period,
            service_date=shared.setdefault(day, day),
            minutes=minutes or 0,
            visit_ids=tuple(sorted(set(ids or []))),
            hourly_rate=shared.setdefault(rate, rate),
        )


def _groups(rows: QuerySet, period: dt.date) -> list[Group]:
    return list(_iter_groups(rows, period))


def _roomy_sort_memory() -> None:
    """Let PostgreSQL sort a national month in memory (this transaction only)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '256MB'")


def month_groups(*, period: dt.date, insurer: Insurer | None) -> list[Group]:
    """THE aggregation: one GROUP BY over the month's unbilled effective visit services."""
    return list(iter_month_groups(period=period, insurer=insurer))


def iter_month_groups(*, period: dt.date, insurer: Insurer | None) -> Iterator[Group]:
    """`month_groups` one group at a time (a national month has 1.4 million): the caller
    turns each into its line and never holds the groups. The read runs in its own
    transaction, open while the groups are consumed."""
    with transaction.atomic():
        _roomy_sort_memory()
        yield from _iter_groups(_month_rows(period=period, insurer=insurer), period)


def month_rows_for_staging(*, period: dt.date, insurer: Insurer | None) -> tuple[str, tuple]:
    """THE aggregation as SQL and its parameters, for `staging` to price in the database:
    the same GROUP BY and tariff join as `month_groups`, unordered, with each group's visit
    ids sorted (as `_iter_groups` sorts them). Columns: GROUP_FIELDS, minutes, visit_ids."""
    rows = _month_rows(period=period, insurer=insurer, visit_ids=SortedIdList("visit_id"))
    sql, params = rows.order_by().query.sql_with_params()
    return sql, tuple(params)


class SortedIdList(IdList):
    """IdList in ascending order (PostgreSQL)."""

    template = "%(function)s(%(expressions)s ORDER BY %(expressions)s)"


def _month_rows(
    *, period: dt.date, insurer: Insurer | None, visit_ids: Aggregate | None = None
) -> QuerySet:
    start, end = month_bounds(period)
    rows = (
        _with_tariff(
            VisitService.objects.filter(
                visit__in=Visit.objects.effective().filter(
                    scope_filter(insurer),
                    starts_at__gte=start,
                    starts_at__lt=end,
                    billed_at__isnull=True,
                ),
                service__is_billable=True,
            ),
            year=period.year,
        )
        .values(*GROUP_FIELDS)
        .annotate(minutes=Sum("minutes"), visit_ids=visit_ids or IdList("visit_id"))
        .order_by("visit__client_id", "service__code", "service_day")
    )
    return rows


def closed_periods(*, before: dt.date) -> dict[int | None, set[dt.date]]:
    """Months already finalised, per insurer id (None: a run for all insurers)."""
    closed: dict[int | None, set[dt.date]] = {}
    runs = BillingRun.objects.filter(status=RunStatus.FINALISED, period__lt=before)
    for insurer_id, period in runs.values_list("insurer_id", "period"):
        closed.setdefault(insurer_id, set()).add(period)
    return closed


def correction_pairs(*, period: dt.date, insurer: Insurer | None) -> list[tuple[int, dt.date]]:
    """(client id, month) pairs to redo: closed months with a new correction or late entry.

    A pair is found by an unbilled correction of a billed visit (in the month of the corrected
    visit and in its own month), or by an unbilled, done visit with billable minutes (a late
    entry, or a correction of a correction).
    """
    closed = closed_periods(before=period)
    if not closed:
        return []
    earliest = min(min(months) for months in closed.values())
    start, _ = month_bounds(earliest)
    end, _ = month_bounds(period)
    tz = ZoneInfo(settings.TIME_ZONE)
    billable = VisitService.objects.filter(visit=OuterRef("pk"), service__is_billable=True)
    late = (
        Visit.objects.effective()
        .filter(scope_filter(insurer), billed_at__isnull=True, starts_at__gte=start)
        .filter(starts_at__lt=end)
        .filter(Exists(billable))
        .values_list("client_id", "client__insurer_id", "starts_at")
    )
    corrections = Visit.objects.filter(
        scope_filter(insurer), billed_at__isnull=True, corrects__billed_at__isnull=False
    ).values_list("client_id", "client__insurer_id", "starts_at", "corrects__starts_at")
    moments: set[tuple[int, int, dt.datetime]] = set(late.distinct())
    for client_id, insurer_id, own, corrected in corrections:
        moments |= {(client_id, insurer_id, own), (client_id, insurer_id, corrected)}
    pairs: set[tuple[int, dt.date]] = set()
    for client_id, insurer_id, moment in moments:
        month = moment.astimezone(tz).date().replace(day=1)
        if month >= period:
            continue
        if month in closed.get(insurer_id, set()) or month in closed.get(None, set()):
            pairs.add((client_id, month))
    return sorted(pairs)


def unbilled_visits_of_pairs(
    pairs: list[tuple[int, dt.date]],
) -> dict[tuple[int, dt.date], list[int]]:
    """Every unbilled visit (any status) of each redone client-month.

    They are attached to the pair's lines so finalising marks them billed: the month was
    redone in full, so each of them is dealt with (and a cancelled correction stops asking
    for another redo).
    """
    tz = ZoneInfo(settings.TIME_ZONE)
    found: dict[tuple[int, dt.date], list[int]] = {}
    wanted = set(pairs)
    by_month: dict[dt.date, list[int]] = {}
    for client_id, month in pairs:
        by_month.setdefault(month, []).append(client_id)
    condition = Q()
    for month, client_ids in by_month.items():
        start, end = month_bounds(month)
        condition |= Q(client_id__in=client_ids, starts_at__gte=start, starts_at__lt=end)
    if not pairs:
        return found
    for pk, client_id, moment in Visit.objects.filter(
        condition, billed_at__isnull=True
    ).values_list("pk", "client_id", "starts_at"):
        key = (client_id, moment.astimezone(tz).date().replace(day=1))
        if key in wanted:
            found.setdefault(key, []).append(pk)
    return found


def correction_groups(*, pairs: list[tuple[int, dt.date]]) -> list[Group]:
    """The full re-aggregation of each (client, closed month): one GROUP BY per month."""
    by_month: dict[dt.date, list[int]] = {}
    for client_id, month in pairs:
        by_month.setdefault(month, []).append(client_id)
    groups: list[Group] = []
    for month, client_ids in sorted(by_month.items()):
        start, end = month_bounds(month)
        rows = (
            _with_tariff(
                VisitService.objects.filter(
                    visit__in=Visit.objects.effective().filter(
                        client_id__in=client_ids, starts_at__gte=start, starts_at__lt=end
                    ),
                    service__is_billable=True,
                ),
                year=month.year,
            )
            .values(*GROUP_FIELDS)
            .annotate(minutes=Sum("minutes"), visit_ids=IdList("visit_id"))
            .order_by("visit__client_id", "service__code", "service_day")
        )
        groups += _groups(rows, month)
    return groups


@dataclass(frozen=True, slots=True)
class BilledNet:
    """What is billed so far, net, for one client, service and day of care at one hourly rate
    (to be credited). `service_date` is None for a month line made before lines were per day:
    its credit is a month line too, citing that month record."""

    client_id: int
    insurer_id: int
    bsn: str
    policy_number: str
    service_id: int
    period: dt.date
    service_date: dt.date | None
    minutes: int
    units: int
    amount: Any
    hourly_rate: Any
    visit_ids: tuple[int, ...]


def billed_net(*, pairs: list[tuple[int, dt.date]]) -> list[BilledNet]:
    """Net finalised lines per client, service, day and rate for the given pairs (one
    query). A credit line has the rate of the debit it reverses, so it nets out there."""
    if not pairs:
        return []
    condition = Q()
    for client_id, month in pairs:
        condition |= Q(client_id=client_id, period=month)
    rows = (
        InvoiceLine.objects.filter(condition, run__status=RunStatus.FINALISED)
        # A line the insurer rejected was never accepted: nothing of it is billed to credit
        # (scheduling.billing.vektis.returns).
        .exclude(Exists(Rejection.objects.filter(line=OuterRef("pk"))))
        .values("client_id", "service_id", "period", "service_date", "hourly_rate")
        .annotate(
            minutes=Sum("minutes"),
            units=Sum("units"),
            amount=Sum("amount"),
            # (not named insurer_id: an annotation may not take a field's name)
            line_insurer_id=Max("insurer_id"),
            bsn=Max("bsn"),
            policy_number=Max("policy_number"),
            visit_lists=IdList("visit_ids"),
        )
        .order_by("client_id", "period", "service_id", "service_date", "hourly_rate")
    )
    result = []
    for row in rows:
        if not row["units"] and not row["amount"]:
            continue  # already credited in full
        lists = [
            json.loads(ids) if isinstance(ids, str) else ids for ids in row["visit_lists"] or []
        ]
        visit_ids = sorted({v for ids in lists for v in ids})
        result.append(
            BilledNet(
                client_id=row["client_id"],
                insurer_id=row["line_insurer_id"],
                bsn=row["bsn"],
                policy_number=row["policy_number"],
                service_id=row["service_id"],
                period=row["period"],
                service_date=row["service_date"],
                minutes=row["minutes"],
                units=row["units"],
                amount=row["amount"],
                hourly_rate=row["hourly_rate"],
                visit_ids=tuple(visit_ids),
            )
        )
    return result
