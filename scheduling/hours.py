"""Indication hours: delivered against indicated, per client and ISO week (issue 16, item 3).

Delivered = minutes of billable care services (`VisitService.minutes` with
`service.is_billable`) on visits that count (`visit_counts_q`, the one rule billing and the
dashboards use), in the local ISO week of the visit's start. Indicated = the sum of
`hours_per_week` of the client's indications valid on any day of that week (indications of
different products add up; the same products cannot overlap, see `care_indication_add`).

`indication_hours` computes the figures for any number of clients and weeks in two queries;
the record page, the team page, the API and the nightly notice all use it.
"""

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.module_loading import import_string

from clients.models import CareIndication, Client, ClientStatus
from scheduling.models import Visit, VisitService
from scheduling.week import week_bounds
from teams.models import Team

# A week at or above this share of its indication is a warning; above 1 it is over.
WARN_AT = Decimal("0.9")
ENDING_WITHIN_DAYS = 28


class Level:
    OK = "ok"
    NEAR = "near"  # 90 % up to and including 100 %
    OVER = "over"  # above 100 %
    NONE = "none"  # hours delivered without any indication that week


@dataclass(frozen=True)
class WeekHours:
    monday: dt.date
    indicated: Decimal
    delivered: Decimal

    @property
    def share(self) -> Decimal | None:
        """Delivered as a share of indicated (1 = 100 %), None without an indication."""
        return self.delivered / self.indicated if self.indicated else None

    @property
    def percent(self) -> int | None:
        share = self.share
        return None if share is None else int((share * 100).to_integral_value())

    @property
    def level(self) -> str:
        share = self.share
        if share is None:
            return Level.NONE if self.delivered else Level.OK
        if share > 1:
            return Level.OVER
        if share >= WARN_AT:
            return Level.NEAR
        return Level.OK

    @property
    def warning(self) -> bool:
        return self.level != Level.OK


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def last_weeks(*, today: dt.date, count: int) -> list[dt.date]:
    """The Mondays of the `count` weeks up to and including this one, newest first."""
    this = monday_of(today)
    return [this - dt.timedelta(weeks=n) for n in range(count)]


def indication_hours(
    *, client_ids: Iterable[int], mondays: list[dt.date]
) -> dict[int, list[WeekHours]]:
    """Per client id, one `WeekHours` per Monday in `mondays` (same order). Two queries."""
    ids = list(client_ids)
    if not ids or not mondays:
        return {cid: [] for cid in ids}
    first, last = min(mondays), max(mondays) + dt.timedelta(days=6)
    indications = CareIndication.objects.filter(client_id__in=ids, valid_from__lte=last).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=first)
    )
    by_client: dict[int, list[tuple[dt.date, dt.date | None, Decimal]]] = defaultdict(list)
    for cid, start, end, hours in indications.order_by().values_list(
        "client_id", "valid_from", "valid_until", "hours_per_week"
    ):
        by_client[cid].append((start, end, hours))
    start_at, _ = week_bounds(first)
    _, end_at = week_bounds(max(mondays))
    minutes: dict[tuple[int, dt.date], int] = defaultdict(int)
    delivered = (
        VisitService.objects.filter(
            service__is_billable=True,
            # the visits that count (the one rule), as a subquery: still one query
            visit__in=Visit.objects.effective().filter(
                client_id__in=ids, starts_at__gte=start_at, starts_at__lt=end_at
            ),
        )
        .annotate(day=TruncDate("visit__starts_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values_list("visit__client_id", "day")
        .annotate(total=Sum("minutes"))
    )
    for cid, day, total in delivered:
        minutes[(cid, monday_of(day))] += total or 0
    out: dict[int, list[WeekHours]] = {}
    for cid in ids:
        weeks = []
        for monday in mondays:
            sunday = monday + dt.timedelta(days=6)
            indicated = sum(
                (
                    hours
                    for start, end, hours in by_client.get(cid, [])
                    if start <= sunday and (end is None or end >= monday)
                ),
                Decimal(0),
            )
            done = (Decimal(minutes.get((cid, monday), 0)) / 60).quantize(Decimal("0.01"))
            weeks.append(WeekHours(monday=monday, indicated=indicated, delivered=done))
        out[cid] = weeks
    return out


@dataclass(frozen=True)
class EndingIndication:
    client: Client
    products: str
    hours_per_week: Decimal
    valid_until: dt.date


def indications_ending(*, team_ids: list[int], today: dt.date) -> list[EndingIndication]:
    """Active clients' indications that end within 4 weeks from `today` (one query)."""
    rows = (
        CareIndication.objects.filter(
            client__team_id__in=team_ids,
            client__status=ClientStatus.ACTIVE,
            valid_until__gte=today,
            valid_until__lte=today + dt.timedelta(days=ENDING_WITHIN_DAYS),
        )
        .select_related("client")
        .order_by("valid_until", "client__last_name", "pk")
    )
    return [
        EndingIndication(
            client=row.client,
            products=row.products,
            hours_per_week=row.hours_per_week,
            valid_until=row.valid_until,  # type: ignore[arg-type]
        )
        for row in rows
    ]


# One thread per team (coaching's `system_key`), like the rota-gap notice.
ENDING_NOTICE_SUBJECT = "Indications ending"
ENDING_NOTICE_KEY = "indications-ending"
ENDING_NOTICE_INTRO = "{count} indication(s) end within 4 weeks; ask for a new one in time:"


def indication_notify_ending(*, team_id: int, today: dt.date | None = None) -> int:
    """Post the team's indications that end within 4 weeks to its space (TEAM_NOTICE_HOOKS).

    Nothing is posted when none end; a second run on one night posts the same text to the
    same thread (coaching owns de-duplication), so the nightly task is safe to retry.
    """
    team = Team.objects.get(pk=team_id)
    ending = indications_ending(team_ids=[team.pk], today=today or timezone.localdate())
    if not ending:
        return 0
    lines = [
        f"- {e.client.display_name}: {e.products}, {e.hours_per_week} h/week, "
        f"until {date_format(e.valid_until)}"
        for e in ending
    ]
    body = ENDING_NOTICE_INTRO.format(count=len(ending)) + "\n" + "\n".join(lines)
    if not settings.TEAM_NOTICE_HOOKS:
        logging.getLogger(__name__).warning("Indications ending for %s: %s", team, body)
    for path in settings.TEAM_NOTICE_HOOKS:
        import_string(path)(
            team=team, subject=ENDING_NOTICE_SUBJECT, body=body, key=ENDING_NOTICE_KEY
        )
    return len(ending)
