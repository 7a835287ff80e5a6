"""Reads and changes of visits write exactly one access row, and a refused one writes none.

The read services (`scheduling.reads`) gate, log and fetch in one transaction; the write
services (`scheduling.services.visits`) log their own change. The pages and the API only call
them, so each request leaves one row.
"""

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from buurtzorg.audit.models import AccessEvent, Action
from clients.models import ClientStatus
from scheduling import reads
from scheduling.models import Visit
from scheduling.services import visits as services
from scheduling.services.rota import local_datetime
from tests.factories import ClientFactory, InterventionFactory, VisitFactory
from tests.scheduling.conftest import DAY

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def visit_of(world, hour: int = 9, nurse: str | None = "nurse", day: dt.date = DAY) -> Visit:
    """A visit written directly (no service, so no access row of its own)."""
    return VisitFactory(
        client=world.client_record,
        nurse=getattr(world, nurse) if nurse else None,
        day=day,
        at=dt.time(hour),
    )


def only_row() -> AccessEvent:
    rows = list(AccessEvent.objects.all())
    assert len(rows) == 1, [(r.action, r.part, r.detail) for r in rows]
    return rows[0]


def row_shape(row: AccessEvent) -> tuple:
    return (row.user_id, row.action, row.part, row.client_public_id)


# --- read services --------------------------------------------------------------------------


def test_my_day_read_is_one_list_row(world) -> None:
    # given two of her visits that day
    visit_of(world, hour=8)
    visit_of(world, hour=10)
    # when
    visits = reads.my_day_read(actor=world.nurse, day=DAY)
    # then
    assert len(visits) == 2
    row = only_row()
    assert row_shape(row) == (world.nurse.pk, Action.LIST, "my-day", None)
    assert row.detail == f"2 visits on {DAY.isoformat()}"


@pytest.mark.parametrize("who", ["nurse", "colleague", "coach"])
def test_visit_open_logs_one_view_row(world, who: str) -> None:
    visit = visit_of(world)
    actor = getattr(world, who)
    assert reads.visit_open(actor=actor, public_id=visit.public_id) == visit
    row = only_row()
    assert row_shape(row) == (actor.pk, Action.VIEW, "visit", world.client_record.public_id)
    assert row.detail == f"visit {visit.public_id}"


@pytest.mark.parametrize("who", ["other_nurse", "back_office", "admin"])
def test_visit_open_of_a_visit_she_may_not_see_is_404_and_writes_no_row(world, who) -> None:
    visit = visit_of(world)
    with pytest.raises(Http404, match="No Visit matches the given query"):
        reads.visit_open(actor=getattr(world, who), public_id=visit.public_id)
    assert not AccessEvent.objects.exists()


def test_visit_log_form_open_is_for_her_own_visit_only(world) -> None:
    visit = visit_of(world)
    # a colleague of the same team may read the visit, but not log it
    with pytest.raises(Http404, match="No Visit matches the given query"):
        reads.visit_log_form_open(actor=world.colleague, public_id=visit.public_id)
    assert not AccessEvent.objects.exists()
    reads.visit_log_form_open(actor=world.nurse, public_id=visit.public_id)
    row = only_row()
    assert row_shape(row) == (world.nurse.pk, Action.VIEW, "visit-log", visit.client.public_id)


def test_my_day_card_open_rereads_her_round_and_logs_a_view(world) -> None:
    visit = visit_of(world)
    visit_of(world, hour=11)
    card = reads.my_day_card_open(actor=world.nurse, visit=visit)
    assert card.visit == visit
    assert (card.done_count, card.visit_total) == (0, 2)
    assert row_shape(only_row()) == (world.nurse.pk, Action.VIEW, "visit", visit.client.public_id)


def test_planning_week_read_is_one_list_row(world) -> None:
    visit_of(world, hour=8)
    visit_of(world, hour=9, nurse=None)
    monday = DAY - dt.timedelta(days=DAY.weekday())
    week = reads.planning_week_read(
        actor=world.coach, team_public_id=world.team.public_id, monday=monday
    )
    assert (week.team, len(week.visits), week.can_edit) == (world.team, 2, False)
    row = only_row()
    assert row_shape(row) == (world.coach.pk, Action.LIST, "planning", None)
    assert row.detail == f"Team A week of {monday.isoformat()}: 2 visits"


def test_planning_week_of_another_team_is_404_and_writes_no_row(world) -> None:
    with pytest.raises(Http404, match="No Team matches the given query"):
        reads.planning_week_read(
            actor=world.nurse, team_public_id=world.other_team.public_id, monday=DAY
        )
    assert not AccessEvent.objects.exists()


def test_visit_list_read_shows_only_visible_visits_in_one_row(world) -> None:
    # given a visit of her team and one of the other team
    mine = visit_of(world)
    VisitFactory(nurse=world.other_nurse, client__team=world.other_team)
    # when
    visits = reads.visit_list_read(actor=world.nurse, query="date=2026-06-02", day=DAY)
    # then
    assert list(visits) == [mine]
    row = only_row()
    assert row_shape(row) == (world.nurse.pk, Action.LIST, "visits-api", None)
    assert row.detail == "date=2026-06-02"


def test_series_list_read_is_one_list_row(world) -> None:
    series = services.series_create(
        client=world.client_record,
        weekdays=0b1,
        time_of_day=dt.time(18),
        planned_minutes=20,
        starts_on=DAY,
        until=DAY + dt.timedelta(days=7),
        actor=world.nurse,
        today=DAY,
    )
    before = AccessEvent.objects.count()
    assert list(reads.series_list_read(actor=world.coach)) == [series]
    assert list(reads.series_list_read(actor=world.other_nurse)) == []
    rows = AccessEvent.objects.order_by("pk")[before:]
    assert [(r.user_id, r.action, r.part) for r in rows] == [
        (world.coach.pk, Action.LIST, "visit-series-api"),
        (world.other_nurse.pk, Action.LIST, "visit-series-api"),
    ]


def test_ical_feed_read_names_the_nurse_in_one_row(world) -> None:
    today = timezone.localdate()
    visit_of(world, day=today)
    token = services.calendar_token_rotate(user=world.nurse)
    body = reads.ical_feed_read(token=token.token, today=today)
    assert body.count("BEGIN:VEVENT") == 1
    row = only_row()
    assert row_shape(row) == (world.nurse.pk, Action.LIST, "ical-feed", None)
    first, last = today - dt.timedelta(days=14), today + dt.timedelta(days=42)
    assert row.detail == f"1 visits, {first.isoformat()} to {last.isoformat()}"


def test_ical_feed_with_a_wrong_or_revoked_token_is_404_and_writes_no_row(world) -> None:
    token = services.calendar_token_rotate(user=world.nurse)
    services.calendar_token_revoke(user=world.nurse)
    for value in (token.token, "wrong"):
        with pytest.raises(Http404, match=r"^$"):  # (no message: nothing about the token)
            reads.ical_feed_read(token=value)
    assert not AccessEvent.objects.exists()


def test_a_read_that_cannot_be_logged_is_not_served(world) -> None:
    visit = visit_of(world)
    with (
        mock.patch.object(AccessEvent.objects, "create", side_effect=DatabaseError("audit down")),
        pytest.raises(DatabaseError, match="audit down"),
    ):
        reads.visit_open(actor=world.nurse, public_id=visit.public_id)


# --- write services log their own change ----------------------------------------------------


def test_visit_schedule_logs_one_create_row(world) -> None:
    visit = services.visit_schedule(
        client=world.client_record,
        nurse=world.nurse,
        starts_at=local_datetime(DAY, dt.time(9)),
        planned_minutes=30,
        actor=world.nurse,
    )
    row = only_row()
    assert row_shape(row) == (world.nurse.pk, Action.CREATE, "visit", visit.client.public_id)
    assert row.detail == f"visit {visit.public_id}"


def test_a_refused_change_writes_no_row(world) -> None:
    visit_of(world, hour=9)
    with pytest.raises(ValidationError, match="already has a visit then"):
        services.visit_schedule(
            client=world.client_record,
            nurse=world.nurse,
            starts_at=local_datetime(DAY, dt.time(9, 15)),
            planned_minutes=30,
            actor=world.nurse,
        )
    assert not AccessEvent.objects.exists()


@pytest.mark.parametrize(
    ("change", "action", "part", "detail"),
    [
        ("start", Action.UPDATE, "visit", "visit {id} in_progress"),
        ("log", Action.UPDATE, "visit-log", "visit {id}"),
        ("cancel", Action.UPDATE, "visit", "visit {id} cancelled"),
        ("assign", Action.UPDATE, "visit", "visit {id} assigned"),
        ("update", Action.UPDATE, "visit", "visit {id}"),
    ],
)
def test_each_change_of_a_visit_logs_one_row(world, change, action, part, detail) -> None:
    visit = visit_of(world)
    calls = {
        "start": lambda: services.visit_start(visit=visit, actor=world.nurse),
        "log": lambda: services.visit_log(visit=visit, actor=world.nurse),
        "cancel": lambda: services.visit_cancel(visit=visit, actor=world.nurse),
        "assign": lambda: services.visit_assign(
            visit=visit, nurse=world.colleague, actor=world.nurse
        ),
        "update": lambda: services.visit_update(
            visit=visit,
            actor=world.nurse,
            starts_at=visit.starts_at + dt.timedelta(hours=1),
            planned_minutes=30,
            nurse=world.nurse,
        ),
    }
    calls[change]()
    row = only_row()
    assert row_shape(row) == (world.nurse.pk, action, part, world.client_record.public_id)
    assert row.detail == detail.format(id=visit.public_id)


def test_unplanned_visit_is_one_create_row_not_three(world) -> None:
    visit = services.visit_log_unplanned(
        client=world.client_record,
        actor=world.nurse,
        started_at=local_datetime(DAY, dt.time(21)),
        minutes=25,
    )
    row = only_row()
    assert row_shape(row) == (world.nurse.pk, Action.CREATE, "visit-log", visit.client.public_id)
    assert row.detail == f"unplanned visit {visit.public_id}"


def test_a_log_with_a_rating_is_one_row_naming_the_rated_problem(world) -> None:
    # given her planned visit
    visit = visit_of(world)
    rating = {"client_problem": world.problem, "knowledge": 3, "behavior": 4, "status": 4}
    # when she logs it with a rating of the client's problem
    services.visit_log(visit=visit, actor=world.nurse, ratings=[rating])
    # then the rating is kept, and the one row of the log names the problem rated
    assert world.problem.ratings.get().behavior == 4
    row = only_row()
    assert row_shape(row) == (world.nurse.pk, Action.UPDATE, "visit-log", visit.client.public_id)
    code = world.problem.problem.code
    assert row.detail == f"visit {visit.public_id}, rated problems {code}"


def test_an_unplanned_visit_with_a_rating_is_one_create_row(world) -> None:
    visit = services.visit_log_unplanned(
        client=world.client_record,
        actor=world.nurse,
        started_at=local_datetime(DAY, dt.time(21)),
        minutes=25,
        ratings=[{"client_problem": world.problem, "knowledge": 2, "behavior": 3, "status": 3}],
    )
    assert world.problem.ratings.count() == 1
    row = only_row()
    assert row_shape(row) == (world.nurse.pk, Action.CREATE, "visit-log", visit.client.public_id)
    code = world.problem.problem.code
    assert row.detail == f"unplanned visit {visit.public_id}, rated problems {code}"


def test_logging_with_a_rating_through_the_page_and_the_api_is_one_row_each(client, world) -> None:
    first, second = visit_of(world, hour=8), visit_of(world, hour=10)
    client.force_login(world.nurse)
    # the log form with a rating
    response = client.post(
        reverse("scheduling:visit-log", args=[first.public_id]),
        {
            "minutes": "30",
            f"rating_{world.problem.pk}_knowledge": "3",
            f"rating_{world.problem.pk}_behavior": "3",
            f"rating_{world.problem.pk}_status": "2",
        },
    )
    assert response.status_code == 302
    # the API's log with a rating
    response = client.post(
        reverse("api-visit-log", args=[second.public_id]),
        {
            "ratings": [
                {
                    "client_problem": str(world.problem.public_id),
                    "knowledge": 4,
                    "behavior": 4,
                    "status": 4,
                }
            ]
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert world.problem.ratings.count() == 2
    rows = list(AccessEvent.objects.order_by("pk"))
    assert [(r.action, r.part, r.detail.split(",")[0]) for r in rows] == [
        (Action.UPDATE, "visit-log", f"visit {first.public_id}"),
        (Action.UPDATE, "visit-log", f"visit {second.public_id}"),
    ]


def test_a_correction_logs_one_create_row(world) -> None:
    visit = services.visit_log(visit=visit_of(world), actor=world.nurse)
    Visit.objects.filter(pk=visit.pk).update(billed_at=timezone.now())
    before = AccessEvent.objects.count()
    correction = services.visit_correct(
        visit=visit, actor=world.nurse, minutes=45, reason="Forgot the wound care"
    )
    (row,) = AccessEvent.objects.order_by("pk")[before:]
    assert row_shape(row) == (world.nurse.pk, Action.CREATE, "visit", visit.client.public_id)
    assert row.detail == f"correction {correction.public_id} of visit {visit.public_id}"


def test_series_create_is_one_row_and_materialising_writes_none(world) -> None:
    # when a series of four weeks of Mondays is made (four visits)
    series = services.series_create(
        client=world.client_record,
        weekdays=0b1,
        time_of_day=dt.time(18),
        planned_minutes=20,
        starts_on=DAY,
        actor=world.nurse,
        today=DAY,
    )
    # then one row names the series, none the visits it made
    assert series.visits.count() == 4
    row = only_row()
    assert row_shape(row) == (
        world.nurse.pk,
        Action.CREATE,
        "visit-series",
        series.client.public_id,
    )
    # and the nightly materialiser (the system, not a person) writes none
    services.series_materialise(series_id=series.pk, today=DAY + dt.timedelta(days=7))
    assert AccessEvent.objects.count() == 1


def test_editing_this_and_following_is_one_update_row(world) -> None:
    series = services.series_create(
        client=world.client_record,
        weekdays=0b1,
        time_of_day=dt.time(18),
        planned_minutes=20,
        starts_on=DAY,
        actor=world.nurse,
        today=DAY,
    )
    from_day = DAY + dt.timedelta(days=13)
    new = services.series_update_following(
        series=series,
        from_date=from_day,
        actor=world.nurse,
        time_of_day=dt.time(17),
        planned_minutes=20,
        nurse=None,
        today=DAY,
    )
    rows = list(AccessEvent.objects.order_by("pk"))
    assert [(r.action, r.part) for r in rows] == [
        (Action.CREATE, "visit-series"),
        (Action.UPDATE, "visit-series"),
    ]
    assert rows[1].detail == (
        f"series {series.public_id} from {from_day.isoformat()}: now series {new.public_id}"
    )


# --- one row per request ------------------------------------------------------------------------


def test_pages_write_one_row_per_request(client, world) -> None:
    visit = visit_of(world)
    client.force_login(world.nurse)
    monday = DAY - dt.timedelta(days=DAY.weekday())
    pages = [
        (f"{reverse('scheduling:my-day')}?day={DAY.isoformat()}", (Action.LIST, "my-day")),
        (
            f"{reverse('scheduling:planning')}?team={world.team.public_id}&week={monday}",
            (Action.LIST, "planning"),
        ),
        (reverse("scheduling:visit-edit", args=[visit.public_id]), (Action.VIEW, "visit")),
        (reverse("scheduling:visit-log", args=[visit.public_id]), (Action.VIEW, "visit-log")),
        (reverse("api-visit-list"), (Action.LIST, "visits-api")),
        (reverse("api-visit-detail", args=[visit.public_id]), (Action.VIEW, "visit")),
        (reverse("api-series-list"), (Action.LIST, "visit-series-api")),
    ]
    for url, expected in pages:
        before = AccessEvent.objects.count()
        assert client.get(url).status_code == 200, url
        rows = list(AccessEvent.objects.order_by("pk")[before:])
        assert [(r.action, r.part) for r in rows] == [expected], url
        assert rows[0].path == url.split("?")[0]


# --- the visit forms' client picker ---------------------------------------------------------


@pytest.mark.parametrize(
    ("route", "team", "detail"),
    [
        ("scheduling:visit-create", True, "visit-create: 1 active clients of Team A"),
        ("scheduling:series-create", True, "series-create: 1 active clients of Team A"),
        ("scheduling:visit-unplanned", False, "visit-unplanned: 1 active clients she may see"),
    ],
)
def test_a_visit_form_page_is_one_list_row_naming_its_client_picker(
    client, world, route: str, team: bool, detail: str
) -> None:
    # given her team's client, a discharged one (not offered) and another team's
    ClientFactory(
        team=world.team, status=ClientStatus.DISCHARGED, discharged_on=dt.date(2026, 3, 1)
    )
    ClientFactory(team=world.other_team)
    client.force_login(world.nurse)
    # when she opens the form
    url = reverse(route) + (f"?team={world.team.public_id}" if team else "")
    response = client.get(url)
    # then it offers her team's active client, and one row says the picker was shown
    assert response.status_code == 200
    assert "Jan Jansen" in response.content.decode()
    row = only_row()
    assert row_shape(row) == (world.nurse.pk, Action.LIST, "client-picker", None)
    assert row.detail == detail


def test_a_client_chosen_in_advance_is_named_in_the_row(client, world) -> None:
    # (the visit form then shows her care plan's interventions)
    client.force_login(world.nurse)
    url = reverse("scheduling:visit-create")
    response = client.get(
        url, {"team": world.team.public_id, "client": world.client_record.public_id}
    )
    assert "Check the pain score" in response.content.decode()
    row = only_row()
    assert row_shape(row) == (
        world.nurse.pk,
        Action.LIST,
        "client-picker",
        world.client_record.public_id,
    )


def test_another_teams_client_is_not_chosen_in_advance(client, world) -> None:
    foreign = ClientFactory(team=world.other_team)
    InterventionFactory(client_problem__client=foreign, description="Foreign care plan")
    client.force_login(world.nurse)
    response = client.get(
        reverse("scheduling:visit-create"),
        {"team": world.team.public_id, "client": foreign.public_id},
    )
    assert "Foreign care plan" not in response.content.decode()
    assert row_shape(only_row()) == (world.nurse.pk, Action.LIST, "client-picker", None)


BEFORE_DAY = (DAY - dt.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("route", "refused", "fixed", "message", "saved"),
    [
        (
            "scheduling:visit-create",
            {"nurse": "n", "day": DAY.isoformat(), "time": "09:15", "planned_minutes": "30"},
            {"time": "11:00"},  # her visit at 09:00 overlaps 09:15
            "already has a visit then",
            (Action.CREATE, "visit"),
        ),
        (
            "scheduling:series-create",
            {
                "nurse": "n",
                "weekdays": ["0"],
                "time_of_day": "09:15",
                "planned_minutes": "20",
                "starts_on": DAY.isoformat(),
                "until": BEFORE_DAY,
            },
            {"until": ""},
            "cannot be before the first day",
            (Action.CREATE, "visit-series"),
        ),
        (
            "scheduling:visit-unplanned",
            {"started_at": f"{DAY.isoformat()}T09:15", "minutes": "30"},
            {"started_at": f"{DAY.isoformat()}T11:00"},
            "already has a visit then",
            (Action.CREATE, "visit-log"),
        ),
    ],
)
def test_a_visit_form_saved_is_the_services_row_and_refused_one_picker_row(
    client, world, route: str, refused: dict, fixed: dict, message: str, saved: tuple
) -> None:
    # given her visit at 09:00
    visit_of(world, hour=9)
    client.force_login(world.nurse)
    url = f"{reverse(route)}?team={world.team.public_id}"
    data = {**refused, "client": world.client_record.pk}
    if "nurse" in data:
        data["nurse"] = world.nurse.pk
    # when the service refuses the save, the form is shown again: one picker row
    response = client.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert [(r.action, r.part, r.detail.split(":")[0]) for r in AccessEvent.objects.all()] == [
        (Action.LIST, "client-picker", route.split(":")[1])
    ]
    # when it is saved: its service's row only
    before = AccessEvent.objects.count()
    assert client.post(url, {**data, **fixed}).status_code == 302
    rows = list(AccessEvent.objects.order_by("pk")[before:])
    assert [(r.action, r.part) for r in rows] == [saved]


def test_log_form_saved_is_one_update_row_and_refused_is_one_view_row(client, world) -> None:
    visit = visit_of(world)
    client.force_login(world.nurse)
    url = reverse("scheduling:visit-log", args=[visit.public_id])
    # when the save is refused (a difference without a reason), the form is shown again
    response = client.post(url, {"minutes": "40"})
    assert "give a short reason" in response.content.decode()
    assert [(r.action, r.part) for r in AccessEvent.objects.all()] == [(Action.VIEW, "visit-log")]
    # when it is saved
    client.post(url, {"minutes": "40", "deviation_reason": "Talked with daughter"})
    rows = list(AccessEvent.objects.order_by("pk"))
    assert [(r.action, r.part) for r in rows[1:]] == [(Action.UPDATE, "visit-log")]


def test_one_tap_card_is_one_row_done_or_refused(client, world) -> None:
    visit = visit_of(world)
    client.force_login(world.nurse)
    url = reverse("scheduling:visit-done", args=[visit.public_id])
    client.post(url, {"minutes": "45"}, headers=HTMX)  # refused: no reason
    client.post(url, headers=HTMX)  # done as planned
    rows = list(AccessEvent.objects.order_by("pk"))
    assert [(r.action, r.part) for r in rows] == [
        (Action.VIEW, "visit"),
        (Action.UPDATE, "visit-log"),
    ]


def test_editing_a_visit_on_its_page_is_one_row(client, world) -> None:
    visit = visit_of(world)
    client.force_login(world.nurse)
    url = reverse("scheduling:visit-edit", args=[visit.public_id])
    form = {
        "nurse": world.nurse.pk,
        "day": DAY.isoformat(),
        "time": "10:00",
        "planned_minutes": "30",
    }
    assert client.post(url, form).status_code == 302
    assert client.post(url, {"cancel_visit": "1"}).status_code == 302
    assert client.post(url, form).status_code == 200  # cancelled: refused, page again
    rows = list(AccessEvent.objects.order_by("pk"))
    assert [(r.action, r.part, r.detail) for r in rows] == [
        (Action.UPDATE, "visit", f"visit {visit.public_id}"),
        (Action.UPDATE, "visit", f"visit {visit.public_id} cancelled"),
        (Action.VIEW, "visit", f"visit {visit.public_id}"),
    ]


def test_ical_feed_request_is_one_row_and_a_wrong_token_none(client, world) -> None:
    token = services.calendar_token_rotate(user=world.nurse)
    assert client.get(reverse("scheduling:ical-feed", args=["wrong"])).status_code == 404
    assert not AccessEvent.objects.exists()
    assert client.get(reverse("scheduling:ical-feed", args=[token.token])).status_code == 200
    row = only_row()
    assert (row.user_id, row.part) == (world.nurse.pk, "ical-feed")


def test_other_teams_visit_page_is_404_without_a_row(client, world) -> None:
    visit = visit_of(world)
    client.force_login(world.other_nurse)
    for url in (
        reverse("scheduling:visit-edit", args=[visit.public_id]),
        reverse("api-visit-detail", args=[visit.public_id]),
    ):
        assert client.get(url).status_code == 404
    assert not AccessEvent.objects.exists()
