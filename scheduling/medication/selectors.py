"""Reads of medication that decide who sees what, and the doses due (no logging here: the
read services in `scheduling.medication.reads` log)."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import DateTimeRangeField
from django.db import connection
from django.db.models import F, Func, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from buurtzorg.compiled import AnyOf, Statement
from clients.models import Client, ClientStatus
from clients.selectors import client_get_clinical, user_edits_clients, user_reads_clinical
from scheduling.medication.models import DoseSignoff, Medication
from scheduling.medication.schedule import OVERDUE_AFTER, DueDose, due_doses, visit_window
from scheduling.models import Visit, VisitStatus
from scheduling.selectors import day_bounds
from teams.models import Membership, Role, User


def medication_list_visible(*, user: User) -> QuerySet[Medication]:
    """Medication `user` may read: of the clients she may see, for nurses and coaches only
    (back office and administrators read no clinical content)."""
    if not user_reads_clinical(user=user):
        return Medication.objects.none()
    return Medication.objects.filter(client__in=Client.objects.visible_to(user)).select_related(
        "client"
    )


def medication_get_visible(*, user: User, public_id: UUID | str) -> Medication:
    return get_object_or_404(medication_list_visible(user=user), public_id=public_id)


def medication_list_editable(*, user: User) -> QuerySet[Medication]:
    """Medication `user` may change: nurses of the client's team, active clients. Coaches
    read only."""
    if not user_edits_clients(user=user):
        return Medication.objects.none()
    return medication_list_visible(user=user).filter(client__status=ClientStatus.ACTIVE)


def medication_get_editable(*, user: User, public_id: UUID | str) -> Medication:
    """404 for anyone but a nurse of the client's team (coaches too, like strangers)."""
    return get_object_or_404(medication_list_editable(user=user), public_id=public_id)


def client_for_medication(*, user: User, public_id: UUID | str) -> Client:
    """The client whose medication list `user` may read (nurses and coaches of her team)."""
    return client_get_clinical(user=user, public_id=public_id)


def client_medications(*, client: Client) -> list[Medication]:
    """The client's list: current first (by name), then ended or stopped."""
    today = timezone.localdate()
    meds = list(Medication.objects.filter(client=client).order_by("name", "pk"))
    for med in meds:
        med.client = client  # no query per row for the template's links
        med.is_current = med.is_current_on(today)  # type: ignore[attr-defined]
    return sorted(meds, key=lambda m: (not m.is_current, m.name.lower()))  # type: ignore[attr-defined]


def medication_signoffs(*, medication: Medication) -> list[DoseSignoff]:
    """Every sign-off of a medication, newest dose first, corrections after what they correct."""
    return list(
        medication.signoffs.select_related("signed_by", "second_signer", "visit", "corrects")
        .prefetch_related("corrections")
        .order_by("-due_at", "id")
    )


ClientIds = Iterable[int] | QuerySet[Any]
Windows = dict[int, list[tuple[dt.datetime, dt.datetime]]]


def _ids(client_ids: ClientIds) -> QuerySet[Any] | list[int]:
    """Client ids as a lookup's value: a queryset stays a subquery (no list in between)."""
    return client_ids if isinstance(client_ids, QuerySet) else list(client_ids)


# What a list of overdue doses shows of each dose's client (her name, her team, the link to her
# record). The rest of her row, most of its width, is deferred there.
CLIENT_SHOWN = (
    "id",
    "public_id",
    "team",
    "status",
    "initials",
    "first_name",
    "name_prefix",
    "last_name",
)


def _scheduled_meds(
    clients: Q | AnyOf, *, start: dt.datetime, first: dt.date, last: dt.date
) -> QuerySet[Medication]:
    """Scheduled medication of `clients` that may have doses from `start` on the local days
    `first` to `last`."""
    return (
        Medication.objects.filter(clients, as_needed=False, starts_on__lte=last)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
        .filter(Q(stopped_at__isnull=True) | Q(stopped_at__gt=start))
        .order_by("name", "pk")
    )


def _meds_query(
    client_ids: ClientIds, start: dt.datetime, end: dt.datetime, *, brief: bool = False
) -> QuerySet[Medication]:
    """Scheduled medication of these clients that may have doses in [start, end), with the
    client (`brief`: only her `CLIENT_SHOWN` fields)."""
    first = timezone.localtime(start).date()
    last = timezone.localtime(end).date()
    meds = _scheduled_meds(
        Q(client_id__in=_ids(client_ids)), start=start, first=first, last=last
    ).select_related("client")
    if brief:
        rest = [f.name for f in Client._meta.concrete_fields if f.name not in CLIENT_SHOWN]
        meds = meds.defer(*(f"client__{name}" for name in rest))
    return meds


def _meds_for(
    client_ids: ClientIds, start: dt.datetime, end: dt.datetime, *, brief: bool = False
) -> list[Medication]:
    return list(_meds_query(client_ids, start, end, brief=brief))


def _signoffs_for(
    meds: list[Medication], start: dt.datetime, end: dt.datetime
) -> list[DoseSignoff]:
    if not meds:
        return []
    return list(
        DoseSignoff.objects.filter(medication__in=meds, due_at__gte=start, due_at__lt=end)
        .select_related("signed_by", "second_signer")
        .order_by("id")
    )


def visit_due_doses(*, visit: Visit) -> list[DueDose]:
    """The scheduled doses this visit covers, with their current sign-offs (2 queries, the
    second only when there is medication; compiled once per process, see `_VISIT_MEDS`)."""
    start, end = visit_window(visit.starts_at, visit.ends_at)
    meds = _VISIT_MEDS.instances(
        client_id=visit.client_id,
        start=start,
        first=timezone.localtime(start).date(),
        last=timezone.localtime(end).date(),
    )
    if not meds:
        return []
    for med in meds:
        med.client = visit.client  # (no query per row for whoever asks)
    signoffs = _VISIT_SIGNOFFS.instances(client_id=visit.client_id, start=start, end=end)
    return due_doses(meds, [(start, end)], signoffs)


def visit_as_needed(*, visit: Visit) -> list[Medication]:
    """As-needed medication the client may be given at this visit (1 query, compiled)."""
    day = timezone.localtime(visit.starts_at).date()
    return _VISIT_AS_NEEDED.instances(client_id=visit.client_id, day=day)


def round_doses(*, visits: list[Visit], day: dt.date, now: dt.datetime | None = None) -> None:
    """For My day: set `visit.due_doses` (the doses each visit covers) and
    `visit.overdue_doses` (the client's doses today that are overdue, whichever visit covered
    them) on every visit of the round, in 3 queries whatever the round's size."""
    now = now or timezone.now()
    for visit in visits:
        visit.due_doses = []  # type: ignore[attr-defined]
        visit.overdue_doses = []  # type: ignore[attr-defined]
    if not visits:
        return
    start, end = day_bounds(day)
    margin_start, _ = visit_window(start, start)
    _, margin_end = visit_window(end, end)
    client_ids = {v.client_id for v in visits}
    if connection.vendor == "postgresql":
        meds, signoffs, covering = _round_inputs(client_ids, margin_start, margin_end)
    else:  # (the SQLite demo: 3 queries)
        meds = _meds_for(client_ids, margin_start, margin_end)
        signoffs = _signoffs_for(meds, margin_start, margin_end)
        covering = _covering_windows(client_ids, margin_start, margin_end) if meds else {}
    if not meds:
        return
    by_client: dict[int, list[Medication]] = defaultdict(list)
    for med in meds:
        by_client[med.client_id].append(med)
    for visit in visits:
        own = by_client.get(visit.client_id, [])
        visit.due_doses = due_doses(  # type: ignore[attr-defined]
            own, [visit_window(visit.starts_at, visit.ends_at)], signoffs
        )
        today = due_doses(own, covering.get(visit.client_id, []), signoffs)
        visit.overdue_doses = [  # type: ignore[attr-defined]
            d for d in today if start <= d.due_at < end and d.is_overdue(now)
        ]


# My day's medication reads, compiled once per process (buurtzorg.compiled): building them
# through the ORM cost more than running them, on the page nurses open most. The clients are
# one array parameter (`= ANY(%s)`), so the statement's shape does not depend on their number;
# these values stand for the request's (no client id is negative, no round is in 1901).
_CLIENT_IDS = ([-7_301_946_311], [-7_301_946_312])
_TIMES = tuple(
    (dt.datetime(1901, 2, day, 1, tzinfo=dt.UTC), dt.datetime(1901, 3, day, 1, tzinfo=dt.UTC))
    for day in (1, 2, 3, 4)
)
_DAYS = ((dt.date(1901, 2, 5), dt.date(1901, 3, 5)), (dt.date(1901, 2, 6), dt.date(1901, 3, 6)))


def _round_meds(
    *, client_ids: list[int], start: dt.datetime, end: dt.datetime, first: dt.date, last: dt.date
) -> QuerySet[Medication]:
    """The clients' scheduled medication, each with its signed times in [start, end)."""
    times = DoseSignoff.objects.filter(
        medication=OuterRef("pk"), due_at__gte=start, due_at__lt=end
    ).values("due_at")
    meds = _scheduled_meds(AnyOf(F("client_id"), client_ids), start=start, first=first, last=last)
    return meds.annotate(signed_times=ArraySubquery(times))


def _round_spans(
    *, client_ids: list[int], before: dt.datetime, after: dt.datetime
) -> QuerySet[Visit, tuple[int, dt.datetime, dt.datetime]]:
    return (
        _visits_between(before=before, after=after)
        .filter(AnyOf(F("client_id"), client_ids))
        .values_list("client_id", "starts_at", "ends_at")
    )


_ROUND_MEDS = Statement(
    Medication,
    _round_meds,
    client_ids=_CLIENT_IDS,
    start=_TIMES[0],
    end=_TIMES[1],
    first=_DAYS[0],
    last=_DAYS[1],
)
_ROUND_SPANS = Statement(
    Visit, _round_spans, client_ids=_CLIENT_IDS, before=_TIMES[2], after=_TIMES[3]
)


# The visit log form's and the doses page's medication reads, compiled the same way.


def _visit_meds(
    *, client_id: int, start: dt.datetime, first: dt.date, last: dt.date
) -> QuerySet[Medication]:
    return _scheduled_meds(Q(client_id=client_id), start=start, first=first, last=last)


def _visit_signoffs(
    *, client_id: int, start: dt.datetime, end: dt.datetime
) -> QuerySet[DoseSignoff]:
    """The client's sign-offs in [start, end) (`due_doses` matches them to her doses by
    medication and time)."""
    return (
        DoseSignoff.objects.filter(
            medication__client_id=client_id, due_at__gte=start, due_at__lt=end
        )
        .select_related("signed_by", "second_signer")
        .order_by("id")
    )


def _visit_as_needed(*, client_id: int, day: dt.date) -> QuerySet[Medication]:
    return Medication.objects.filter(client_id=client_id, as_needed=True).current(day)


_CLIENT_ID = (_CLIENT_IDS[0][0], _CLIENT_IDS[1][0])
_VISIT_MEDS = Statement(
    Medication, _visit_meds, client_id=_CLIENT_ID, start=_TIMES[0], first=_DAYS[0], last=_DAYS[1]
)
_VISIT_SIGNOFFS = Statement(
    DoseSignoff, _visit_signoffs, client_id=_CLIENT_ID, start=_TIMES[0], end=_TIMES[1]
)
_VISIT_AS_NEEDED = Statement(Medication, _visit_as_needed, client_id=_CLIENT_ID, day=_DAYS[0])


def _round_inputs(
    client_ids: set[int], start: dt.datetime, end: dt.datetime
) -> tuple[list[Medication], list[DoseSignoff], Windows]:
    """`round_doses`' reads on PostgreSQL: the clients' medication, each bringing its signed
    times in [start, end) (an array subquery; unsaved sign-offs carrying only medication and
    due time stand in for them: any row means signed, as a corrected dose still has a current
    one), and the dose windows of the clients' visits (2 queries; the second only when there
    is medication, so My day stays within its budget of 10 queries)."""
    ids = sorted(client_ids)
    meds = _ROUND_MEDS.instances(
        client_ids=ids,
        start=start,
        end=end,
        first=timezone.localtime(start).date(),
        last=timezone.localtime(end).date(),
    )
    if not meds:
        return [], [], {}
    marks = [
        DoseSignoff(medication=med, due_at=due)
        for med in meds
        for due in set(med.signed_times)  # type: ignore[attr-defined]
    ]
    margin = visit_window(start, start)[0] - start
    covering: Windows = defaultdict(list)
    for client_id, starts_at, ends_at in _ROUND_SPANS.rows(
        client_ids=ids, before=end - margin, after=start + margin
    ):
        covering[client_id].append(visit_window(starts_at, ends_at))
    return meds, marks, covering


def _covering_visits(start: dt.datetime, end: dt.datetime) -> QuerySet[Visit]:
    """Visits (any nurse, not cancelled) whose dose window reaches into [start, end)."""
    margin = visit_window(start, start)[0] - start
    return _visits_between(before=end - margin, after=start + margin)


def _visits_between(*, before: dt.datetime, after: dt.datetime) -> QuerySet[Visit]:
    """Visits (any nurse, not cancelled) starting before `before` and ending after `after`."""
    return Visit.objects.filter(
        corrects__isnull=True, starts_at__lt=before, ends_at__gt=after
    ).exclude(status=VisitStatus.CANCELLED)


def _covering_windows(client_ids: ClientIds, start: dt.datetime, end: dt.datetime) -> Windows:
    """The dose windows of the clients' visits around [start, end), by client."""
    rows = _covering_visits(start, end).filter(client_id__in=_ids(client_ids))
    out: Windows = defaultdict(list)
    for client_id, starts_at, ends_at in rows.values_list("client_id", "starts_at", "ends_at"):
        out[client_id].append(visit_window(starts_at, ends_at))
    return out


def _overdue_inputs(
    client_ids: ClientIds, start: dt.datetime, end: dt.datetime
) -> tuple[list[Medication], list[DoseSignoff], Windows]:
    """The clients' medication, (stand-ins for) their sign-offs and the visits' dose windows
    in [start, end): one query on PostgreSQL, where each medication row brings its signed
    times and its client's visit times as arrays (a team's handover stays within its query
    budget); elsewhere (the SQLite demo) three."""
    if connection.vendor != "postgresql":
        meds = _meds_for(client_ids, start, end, brief=True)
        if not meds:
            return [], [], {}
        return meds, _signoffs_for(meds, start, end), _covering_windows(client_ids, start, end)
    times = DoseSignoff.objects.filter(
        medication=OuterRef("pk"), due_at__gte=start, due_at__lt=end
    ).values("due_at")
    spans = (
        _covering_visits(start, end)
        .filter(client=OuterRef("client_id"))
        .order_by()
        .values(
            span=Func(
                F("starts_at"),
                F("ends_at"),
                function="tstzrange",
                output_field=DateTimeRangeField(),
            )
        )
    )
    meds = list(
        _meds_query(client_ids, start, end, brief=True).annotate(
            signed_times=ArraySubquery(times), visit_spans=ArraySubquery(spans)
        )
    )
    marks = [
        DoseSignoff(medication=med, due_at=due)
        for med in meds
        for due in set(med.signed_times)  # type: ignore[attr-defined]
    ]
    windows: Windows = defaultdict(list)
    for med in meds:
        # visits end after they start (a constraint), so no span is empty
        windows[med.client_id] = [
            visit_window(span.lower, span.upper)
            for span in med.visit_spans  # type: ignore[attr-defined]
        ]
    return meds, marks, windows


def overdue_doses_for_clients(
    *, client_ids: ClientIds, start: dt.datetime, now: dt.datetime | None = None
) -> list[DueDose]:
    """Doses of these clients due from `start` until 2 hours ago, covered by a visit and not
    signed off, oldest first (one query on PostgreSQL, see `_overdue_inputs`). `client_ids`
    may be a queryset of ids, which stays a subquery."""
    now = now or timezone.now()
    end = now - OVERDUE_AFTER + dt.timedelta(microseconds=1)  # due exactly 2 hours ago counts
    client_ids = _ids(client_ids)
    if end <= start or (isinstance(client_ids, list) and not client_ids):
        return []
    meds, signoffs, covering = _overdue_inputs(client_ids, start, end)
    out: list[DueDose] = []
    for med in meds:
        windows = [(max(a, start), min(b, end)) for a, b in covering.get(med.client_id, [])]
        out += [
            d
            for d in due_doses([med], [w for w in windows if w[0] < w[1]], signoffs)
            if not d.is_signed
        ]
    return sorted(out, key=lambda d: (d.due_at, d.medication.client_id, d.medication.name))


def overdue_doses_for_team(
    *, team_id: int, start: dt.datetime, now: dt.datetime | None = None
) -> list[DueDose]:
    """A team's overdue doses since `start` (its active clients, a subquery: one query on
    PostgreSQL whatever the team's size)."""
    clients = Client.objects.filter(team_id=team_id, status=ClientStatus.ACTIVE).values("pk")
    return overdue_doses_for_clients(client_ids=clients, start=start, now=now)


def second_signer_candidate(*, actor: User, username: str) -> User | None:
    """An active nurse of `actor`'s current team other than her, by username."""
    team_ids = Membership.objects.active().filter(nurse=actor).values("team_id")
    return (
        User.objects.filter(
            username=username,
            role=Role.NURSE,
            is_active=True,
            memberships__in=Membership.objects.active().filter(team_id__in=team_ids),
        )
        .exclude(pk=actor.pk)
        .first()
    )
