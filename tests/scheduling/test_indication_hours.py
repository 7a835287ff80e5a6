"""Indication hours (issue 16, item 3): delivered against indicated per client and week, on
the record, the team page, the API and the nightly notice."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from buurtzorg.audit.models import AccessEvent
from clients.models import CareIndication
from scheduling import hours, reads
from tests.factories import CareServiceFactory, ClientFactory
from tests.factories.billing import billed_visit

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 23)  # ISO week 48
POSTED: list[dict] = []


def _record_notice(**notice: object) -> None:
    POSTED.append(notice)


def _indicate(client_record, hours_per_week: str, **kw) -> CareIndication:  # noqa: ANN001
    data = {"products": "nursing", "valid_from": MONDAY - dt.timedelta(weeks=10)} | kw
    return CareIndication.objects.create(
        client=client_record, hours_per_week=Decimal(hours_per_week), **data
    )


@pytest.fixture
def billable():  # noqa: ANN201
    return CareServiceFactory(code="V1001", is_billable=True)


def test_delivered_counts_billable_minutes_of_visits_that_count(access_world, billable) -> None:
    # given 10 h indicated, 4 h billable + 1 h unbillable done, and 2 h of a cancelled visit
    person = ClientFactory(team=access_world.team_a)
    _indicate(person, "10")
    unbillable = CareServiceFactory(code="X0001", is_billable=False)
    billed_visit(person, MONDAY, {billable: 240, unbillable: 60})
    billed_visit(person, MONDAY + dt.timedelta(days=2), {billable: 120}, status="cancelled")
    billed_visit(person, MONDAY - dt.timedelta(days=1), {billable: 600})  # the week before
    # when
    figures = hours.indication_hours(client_ids=[person.pk], mondays=[MONDAY])[person.pk]
    # then
    assert figures[0].indicated == Decimal(10)
    assert figures[0].delivered == Decimal(4)
    assert (figures[0].percent, figures[0].level) == (40, hours.Level.OK)


@pytest.mark.parametrize(
    ("minutes", "level"),
    [(530, hours.Level.OK), (540, hours.Level.NEAR), (600, hours.Level.NEAR), (601, "over")],
)
def test_warning_from_ninety_percent_and_over_above_a_hundred(
    access_world, billable, minutes: int, level: str
) -> None:
    person = ClientFactory(team=access_world.team_a)
    _indicate(person, "10")
    billed_visit(person, MONDAY + dt.timedelta(days=3), {billable: minutes})
    week = hours.indication_hours(client_ids=[person.pk], mondays=[MONDAY])[person.pk][0]
    assert week.level == level


def test_hours_without_an_indication_are_a_warning(access_world, billable) -> None:
    person = ClientFactory(team=access_world.team_a)
    billed_visit(person, MONDAY, {billable: 30})
    week = hours.indication_hours(client_ids=[person.pk], mondays=[MONDAY])[person.pk][0]
    assert (week.indicated, week.level, week.warning) == (0, hours.Level.NONE, True)


def test_selector_takes_two_queries_whatever_the_number_of_clients(
    access_world, billable, django_assert_num_queries
) -> None:
    people = ClientFactory.create_batch(6, team=access_world.team_a)
    for person in people:
        _indicate(person, "5")
        billed_visit(person, MONDAY, {billable: 60})
    mondays = hours.last_weeks(today=MONDAY + dt.timedelta(days=3), count=8)
    with django_assert_num_queries(2):
        figures = hours.indication_hours(client_ids=[p.pk for p in people], mondays=mondays)
    assert all(len(weeks) == 8 and weeks[0].delivered == 1 for weeks in figures.values())


def test_team_read_lists_this_week_and_indications_ending_within_four_weeks(
    access_world, billable
) -> None:
    ending = ClientFactory(team=access_world.team_a, last_name="Eindigt")
    _indicate(ending, "4", valid_until=MONDAY + dt.timedelta(days=20))
    later = ClientFactory(team=access_world.team_a, last_name="Later")
    _indicate(later, "4", valid_until=MONDAY + dt.timedelta(days=40))
    billed_visit(ending, MONDAY, {billable: 230})
    ClientFactory(team=access_world.team_b, last_name="Anderteam")
    # when
    team = reads.team_hours_read(actor=access_world.nurse_a, team_public_id=None, today=MONDAY)
    # then
    assert [row.client for row in team.rows] == [ending, later]
    assert [row.client for row in team.warnings] == [ending]
    assert [e.client for e in team.ending] == [ending]
    assert AccessEvent.objects.filter(user_id=access_world.nurse_a.pk).count() == 1


def test_client_read_is_gated_and_audited(access_world) -> None:
    person = ClientFactory(team=access_world.team_a)
    result = reads.client_hours_read(actor=access_world.coach_a, public_id=person.public_id)
    assert len(result.weeks) == reads.RECORD_WEEKS
    assert AccessEvent.objects.filter(
        user_id=access_world.coach_a.pk, client_public_id=person.public_id
    ).exists()
    with pytest.raises(Exception, match="No Client matches"):
        reads.client_hours_read(actor=access_world.nurse_b, public_id=person.public_id)


def test_pages_show_the_figures(client, access_world, billable) -> None:
    person = ClientFactory(team=access_world.team_a, last_name="Veldhuis")
    _indicate(person, "2")
    billed_visit(person, timezone.localdate(), {billable: 150})
    client.force_login(access_world.nurse_a)
    team_page = client.get(reverse("scheduling:team-hours")).content.decode()
    assert "Veldhuis" in team_page
    assert "over: 125 %" in team_page
    record = client.get(reverse("scheduling:client-hours", args=[person.public_id]))
    assert "over: 125 %" in record.content.decode()


def test_api_answers_in_the_schema_shape(client, access_world) -> None:
    person = ClientFactory(team=access_world.team_a)
    _indicate(person, "3")
    client.force_login(access_world.coach_a)
    body = client.get(reverse("api-client-hours", args=[person.public_id])).json()
    assert body["client"] == str(person.public_id)
    assert len(body["weeks"]) == 8
    assert body["weeks"][0]["indicated"] == "3.00"
    schema = client.get(reverse("api-schema")).content.decode()
    assert "/api/clients/{id}/hours/" in schema or "clients/{id}/hours" in schema


def test_nightly_notice_lists_indications_ending(access_world, settings) -> None:
    settings.TEAM_NOTICE_HOOKS = [f"{__name__}._record_notice"]
    POSTED.clear()
    person = ClientFactory(team=access_world.team_a, last_name="Afloop")
    _indicate(person, "4", valid_until=timezone.localdate() + dt.timedelta(days=7))
    from scheduling.tasks import indication_check_all_teams_task

    indication_check_all_teams_task.delay()
    assert [n["key"] for n in POSTED] == [hours.ENDING_NOTICE_KEY]
    assert POSTED[0]["team"] == access_world.team_a
    assert "Afloop" in str(POSTED[0]["body"])
