"""Today's clients in a few lines (issue 18): what a nurse needs at the door, read through the
gate with one access row, as a page the phone keeps for the day and in the API."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from buurtzorg.audit.models import AccessEvent
from scheduling.services import visits as services
from scheduling.services.rota import local_datetime
from tests.factories import MedicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def today_visit(world):
    client_record = world.client_record
    client_record.key_safe_note = "Key safe left of the door, code 4711"
    client_record.allergies = "Penicillin"
    client_record.save(update_fields=["key_safe_note", "allergies"])
    MedicationFactory(client=client_record, name="Metformine", times_of_day=["06:00"])
    return services.visit_schedule(
        client=client_record,
        nurse=world.nurse,
        starts_at=local_datetime(timezone.localdate(), dt.time(6)),
        planned_minutes=30,
        actor=world.nurse,
        planned_interventions=[world.intervention],
        service=world.service,
    )


def test_the_page_shows_what_she_needs_at_the_door_with_one_access_row(
    client, world, today_visit
) -> None:
    client.force_login(world.nurse)
    before = AccessEvent.objects.count()
    response = client.get(reverse("scheduling:day-clients"))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        world.client_record.address_line,
        "code 4711",
        "Penicillin",
        "Check the pain score",
        "Metformine",
    ):
        assert text in page
    assert AccessEvent.objects.count() == before + 1
    row = AccessEvent.objects.latest("pk")
    assert (row.part, row.action) == ("day-summary", "list")
    assert str(world.client_record.public_id)[:8] in row.detail


def test_the_api_gives_the_same_summary(client, world, today_visit) -> None:
    client.force_login(world.nurse)
    body = client.get(reverse("api-visit-today")).json()
    assert len(body) == 1
    visit = body[0]
    assert visit["id"] == str(today_visit.public_id)
    assert visit["client"]["key_safe_note"] == "Key safe left of the door, code 4711"
    assert visit["client"]["address"] == world.client_record.address_line
    assert [i["description"] for i in visit["interventions"]] == ["Check the pain score"]
    assert [(d["medication"], d["signed"]) for d in visit["medication_due"]] == [
        ("Metformine", False)
    ]


def test_another_nurse_sees_none_of_her_clients(client, world, today_visit) -> None:
    client.force_login(world.other_nurse)
    assert client.get(reverse("api-visit-today")).json() == []
    page = client.get(reverse("scheduling:day-clients")).content.decode()
    assert "code 4711" not in page


def test_a_coach_has_no_day_summary(client, world, today_visit) -> None:
    client.force_login(world.coach)
    assert client.get(reverse("scheduling:day-clients")).status_code == 404
    assert client.get(reverse("api-visit-today")).status_code == 403
