"""Read services for visits: every page, API call and feed that shows visit data goes here.

Each one checks visibility through the selectors in `scheduling.selectors` (404 when the user
may not see the object, and then no access row), writes exactly one access row and returns
the data, in one transaction: a read that cannot be logged is not served. Views, API views and
the iCal feed only call these and render; they neither log nor open transactions.

Changes are logged by the write services in `scheduling.services.visits`, so a page that saves
and then shows the result writes one row, the write's.
"""

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from buurtzorg.audit.models import Action
from buurtzorg.audit.services import access_log_write
from clients.models import Client, ClientStatus
from clients.selectors import client_list_visible
from scheduling import ical
from scheduling.hours import (
    EndingIndication,
    WeekHours,
    indication_hours,
    indications_ending,
    last_weeks,
    monday_of,
)
from scheduling.medication.selectors import round_doses
from scheduling.models import Visit, VisitSeries
from scheduling.selectors import (
    calendar_token_user,
    day_bounds,
    my_day_card_visit,
    my_day_done_count,
    my_day_visits,
    nurse_feed_visits,
    rota_can_edit_visible,
    rota_team_get_visible,
    rota_team_with_nurses,
    series_list_visible,
    team_week_visits,
    visit_get_correctable,
    visit_get_own,
    visit_get_visible,
    visit_list_visible,
)
from scheduling.week import week_bounds
from teams.models import Team, User

# The feed reaches back two weeks and ahead six: what a calendar app shows around today.
FEED_DAYS_BACK = 14
FEED_DAYS_AHEAD = 42


def _log_visit_read(actor: User, visit: Visit, part: str) -> None:
    access_log_write(
        actor=actor,
        action=Action.VIEW,
        client_public_id=visit.client.public_id,
        part=part,
        detail=f"visit {visit.public_id}",
    )


@transaction.atomic
def visit_correction_open(*, actor: User, public_id: UUID) -> Visit:
    """A billed visit's correction page (`GET`): who may correct it (see
    `visit_get_correctable`), with one access row."""
    visit = visit_get_correctable(user=actor, public_id=public_id)
    _log_visit_read(actor, visit, part="visit-correction")
    return visit


# --- My day -------------------------------------------------------------------------------------


@transaction.atomic
def my_day_read(*, actor: User, day: dt.date) -> list[Visit]:
    """The nurse's own round on `day` (only visits assigned to her), logged as one list row."""
    visits = my_day_visits(nurse=actor, day=day)
    round_doses(visits=visits, day=day)  # doses due and overdue (scheduling.medication)
    access_log_write(
        actor=actor,
        action=Action.LIST,
        part="my-day",
        detail=f"{len(visits)} visits on {day.isoformat()}",
    )
    return visits


@transaction.atomic
def day_clients_read(*, actor: User, day: dt.date) -> list[Visit]:
    """Today's clients of her round, in the few words she needs at the door (issue 18): where
    they live, the key safe, allergies and alarm, the care plan of the visit and the
    medication due. The phone keeps it for the day (static/js/sw.js) for a round without a
    network, and forgets it at logout and the next day. Her own visits only; one list row
    naming the clients (the start of each one's id)."""
    visits = my_day_visits(nurse=actor, day=day)
    round_doses(visits=visits, day=day)
    clients = dict.fromkeys(str(v.client.public_id)[:8] for v in visits)
    access_log_write(
        actor=actor,
        action=Action.LIST,
        part="day-summary",
        detail=f"{len(visits)} visits on {day.isoformat()}: {' '.join(clients)}",
    )
    return visits


@dataclass(frozen=True)
class DayCard:
    """One visit's card on My day, and the day's "n/m done" counter."""

    visit: Visit
    done_count: int
    visit_total: int


def my_day_card(*, actor: User, visit: Visit) -> DayCard:
    """The card of `visit` (one the caller fetched with `visit_get_own`), re-read fresh.

    Only that card is read (as My day reads it, with its doses) and the counter is a COUNT:
    a tap's answer costs the same whatever the size of her round. Not logged: call it only
    after a write service changed the visit, which logged the access. After a refused change
    use `my_day_card_open`.
    """
    day = timezone.localtime(visit.starts_at).date()
    card = my_day_card_visit(nurse=actor, visit=visit)
    if card is not None:
        round_doses(visits=[card], day=day)  # (its doses: its own and its client's visits only)
    done, total = my_day_done_count(nurse=actor, day=day)
    return DayCard(visit=card or visit, done_count=done, visit_total=total)


@transaction.atomic
def my_day_card_open(*, actor: User, visit: Visit) -> DayCard:
    """The card shown again after a refused start or log: nothing changed, so it is a read.

    `visit` is the one the refused write was given, fetched through `visit_get_own`; the
    card is re-read from her own round, so it never shows another nurse's visit.
    """
    card = my_day_card(actor=actor, visit=visit)
    _log_visit_read(actor, card.visit, part="visit")
    return card


@transaction.atomic
def visit_log_form_open(*, actor: User, public_id: UUID) -> Visit:
    """Her own visit on the log form ("Other…"): 404 for anyone else's."""
    visit = visit_get_own(user=actor, public_id=public_id)
    _log_visit_read(actor, visit, part="visit-log")
    return visit


@transaction.atomic
def visit_not_done_form_open(*, actor: User, public_id: UUID) -> Visit:
    """Her own visit on the "not done" form: 404 for anyone else's."""
    visit = visit_get_own(user=actor, public_id=public_id)
    _log_visit_read(actor, visit, part="visit-not-done")
    return visit


@transaction.atomic
def visit_form_reshown(*, actor: User, visit: Visit, part: str) -> Visit:
    """A visit's form shown again after its write service refused the change.

    The refused write logged nothing (its transaction rolled back), but the page shows the
    record again: one read row. `visit` is the one the write was given, fetched through
    the same gate as the form (`visit_get_own` or `visit_get_visible`).
    """
    _log_visit_read(actor, visit, part=part)
    return visit


# --- the visit forms' client picker -------------------------------------------------------------


@dataclass(frozen=True)
class ClientPicker:
    """What a visit form's client picker offers: the active clients the nurse may see (of
    `team` when the form plans for one team), and the client chosen in advance, if any (the
    visit form then shows her care plan's interventions)."""

    clients: QuerySet[Client]
    team: Team | None = None
    chosen: Client | None = None


def client_picker(
    *, actor: User, team: Team | None = None, chosen: UUID | None = None
) -> ClientPicker:
    """The picker of a posted form, to check the choice against. Not logged: the page that
    shows the picker logs it (`client_picker_open`, or `client_picker_reshown` when a
    refused form is shown again); a saved form is logged by its write service."""
    clients = client_list_visible(user=actor).filter(status=ClientStatus.ACTIVE)
    if team is not None:
        clients = clients.filter(team=team)
    found = clients.filter(public_id=chosen).first() if chosen is not None else None
    return ClientPicker(clients=clients, team=team, chosen=found)


def _log_picker(actor: User, form: str, picker: ClientPicker) -> None:
    whose = f"of {picker.team.name}" if picker.team is not None else "she may see"
    access_log_write(
        actor=actor,
        action=Action.LIST,
        client_public_id=picker.chosen.public_id if picker.chosen is not None else None,
        part="client-picker",
        detail=f"{form}: {picker.clients.count()} active clients {whose}",
    )


@transaction.atomic
def client_picker_open(
    *, actor: User, form: str, team: Team | None = None, chosen: UUID | None = None
) -> ClientPicker:
    """A visit form's page (`form`: "visit-create", "series-create", "visit-unplanned"): its
    client picker lists clients, so showing it is one list row (naming the client chosen in
    advance, whose care plan the form shows)."""
    picker = client_picker(actor=actor, team=team, chosen=chosen)
    _log_picker(actor, form, picker)
    return picker


@transaction.atomic
def client_picker_reshown(*, actor: User, form: str, picker: ClientPicker) -> ClientPicker:
    """The form shown again after a refused save (its write logged nothing): one list row,
    as when it was first shown."""
    _log_picker(actor, form, picker)
    return picker


# --- planning -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanningWeek:
    team: Team
    nurses: list[User]
    visits: list[dict]
    can_edit: bool


@transaction.atomic
def planning_week_read(
    *, actor: User, team_public_id: UUID | None, monday: dt.date
) -> PlanningWeek:
    """A team's visits in the week from `monday` (the planning grid), logged as one list row.

    The team is one the actor may read (her own, or one she coaches; the first of them when
    none is named); any other is 404.
    """
    team, nurses = rota_team_with_nurses(user=actor, public_id=team_public_id)
    start, end = week_bounds(monday)
    visits = team_week_visits(team=team, start=start, end=end)
    access_log_write(
        actor=actor,
        action=Action.LIST,
        part="planning",
        detail=f"{team.name} week of {monday.isoformat()}: {len(visits)} visits",
    )
    return PlanningWeek(
        team=team,
        nurses=nurses,
        visits=visits,
        can_edit=rota_can_edit_visible(user=actor, team=team),
    )


# --- one visit (page and API) -------------------------------------------------------------------


@transaction.atomic
def visit_open(*, actor: User, public_id: UUID) -> Visit:
    """One visit of a team the actor may read (the visit page, `GET /api/visits/<id>/`)."""
    visit = visit_get_visible(user=actor, public_id=public_id)
    _log_visit_read(actor, visit, part="visit")
    return visit


# --- lists (API) ----------------------------------------------------------------------------------


@transaction.atomic
def visit_list_read(
    *,
    actor: User,
    query: str,
    nurse: str = "",
    client: str = "",
    team: str = "",
    day: dt.date | None = None,
) -> QuerySet[Visit]:
    """The visits the actor may read, narrowed by the given public ids and local day.

    One list row names the request's query (`query`, as the caller received it). The
    queryset is gated here; the API pages it (keys first) when it renders.
    """
    visits = visit_list_visible(user=actor).order_by("starts_at", "pk")
    if nurse:
        visits = visits.filter(nurse__public_id=nurse)
    if client:
        visits = visits.filter(client__public_id=client)
    if team:
        visits = visits.filter(team__public_id=team)
    if day is not None:
        start, end = day_bounds(day)
        visits = visits.filter(starts_at__gte=start, starts_at__lt=end)
    access_log_write(actor=actor, action=Action.LIST, part="visits-api", detail=query)
    return visits.select_related("series", "corrects")


@transaction.atomic
def series_list_read(*, actor: User, query: str = "") -> QuerySet[VisitSeries]:
    """The recurring visits the actor may read (clients and their times), one list row."""
    series = series_list_visible(user=actor).order_by("pk")
    access_log_write(actor=actor, action=Action.LIST, part="visit-series-api", detail=query)
    return series


# --- iCalendar feed -------------------------------------------------------------------------------


@transaction.atomic
def ical_feed_read(*, token: str, today: dt.date | None = None) -> str:
    """The nurse's feed for a live secret token (404 for a wrong or revoked one).

    The calendar app reads on her behalf, so the row names her. Only times and client
    initials go in the feed (`scheduling.ical`): calendar apps sync it to other servers.
    """
    nurse = calendar_token_user(token=token)
    today = today or timezone.localdate()
    first = today - dt.timedelta(days=FEED_DAYS_BACK)
    last = today + dt.timedelta(days=FEED_DAYS_AHEAD)
    start, _ = day_bounds(first)
    _, end = day_bounds(last)
    visits = list(nurse_feed_visits(nurse=nurse, start=start, end=end))
    access_log_write(
        actor=nurse,
        action=Action.LIST,
        part="ical-feed",
        detail=f"{len(visits)} visits, {first.isoformat()} to {last.isoformat()}",
    )
    return ical.render_feed(nurse=nurse, visits=visits)


# --- indication hours (issue 16, item 3) --------------------------------------------------------

RECORD_WEEKS = 8


@dataclass(frozen=True)
class ClientHours:
    client: Client
    weeks: list[WeekHours]


@transaction.atomic
def client_hours_read(*, actor: User, public_id: UUID, today: dt.date | None = None) -> ClientHours:
    """One client's delivered against indicated hours for the last 8 weeks (newest first).

    The client is one the actor may read (`client_list_visible`, else 404 and no row); one
    VIEW row "indication-hours".
    """
    client = get_object_or_404(client_list_visible(user=actor), public_id=public_id)
    mondays = last_weeks(today=today or timezone.localdate(), count=RECORD_WEEKS)
    weeks = indication_hours(client_ids=[client.pk], mondays=mondays)[client.pk]
    access_log_write(
        actor=actor, action=Action.VIEW, client_public_id=client.public_id, part="indication-hours"
    )
    return ClientHours(client=client, weeks=weeks)


@dataclass(frozen=True)
class TeamHours:
    team: Team
    monday: dt.date
    rows: list[ClientHours]
    ending: list[EndingIndication]

    @property
    def warnings(self) -> list[ClientHours]:
        return [row for row in self.rows if row.weeks[0].warning]


@transaction.atomic
def team_hours_read(
    *, actor: User, team_public_id: UUID | None, today: dt.date | None = None
) -> TeamHours:
    """This week's hours of every active client of a team the actor may read, and the
    indications ending within 4 weeks; one LIST row "indication-hours". A constant number of
    queries whatever the team's size."""
    today = today or timezone.localdate()
    team = rota_team_get_visible(user=actor, public_id=team_public_id)
    clients = list(
        client_list_visible(user=actor)
        .filter(team=team, status=ClientStatus.ACTIVE)
        .order_by("last_name", "first_name", "pk")
    )
    monday = monday_of(today)
    figures = indication_hours(client_ids=[c.pk for c in clients], mondays=[monday])
    ending = indications_ending(team_ids=[team.pk], today=today)
    access_log_write(
        actor=actor,
        action=Action.LIST,
        part="indication-hours",
        detail=f"{team.name} week of {monday.isoformat()}: {len(clients)} clients",
    )
    return TeamHours(
        team=team,
        monday=monday,
        rows=[ClientHours(client=c, weeks=figures[c.pk]) for c in clients],
        ending=ending,
    )
