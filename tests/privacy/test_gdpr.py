"""GDPR: a complete export of a client's data (JSON + PDF), and erasure after retention."""

import datetime as dt

import pytest
from django.urls import reverse

from buurtzorg.audit.models import AccessEvent, Action
from buurtzorg.audit.services import access_log_write
from clients.models import ERASED_NAME, Client, Intervention, NetworkContact
from scheduling.history.models import ClientEvent, InterventionEvent
from scheduling.privacy.tasks import clients_erase_expired_task
from tests.factories import (
    CareIndicationFactory,
    ClientFactory,
    ClientProblemFactory,
    InterventionFactory,
    NetworkContactFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db


def _full_record(**client_kwargs) -> Client:
    record = ClientFactory(**client_kwargs)
    CareIndicationFactory(client=record)
    NetworkContactFactory(client=record, name="Daughter Dewi")
    problem = ClientProblemFactory(client=record)
    InterventionFactory(client_problem=problem, description="Wound care left heel, daily")
    VisitFactory(client=record, day=record.admitted_on, notes="Key under the mat")
    return record


def test_export_holds_everything_and_is_logged(client, access_world) -> None:
    # given a record with changes and an earlier access
    record = _full_record(team=access_world.team_a)
    Client.objects.filter(pk=record.pk).update(city="Hengelo")
    access_log_write(
        actor=access_world.coach_a, action=Action.VIEW, client_public_id=record.public_id
    )
    client.force_login(access_world.nurse_a)
    # when
    response = client.get(reverse("privacy:export-json", args=[record.public_id]))
    # then
    data = response.json()
    assert data["client"]["bsn"] == record.bsn
    assert data["network"][0]["name"] == "Daughter Dewi"
    assert data["problems"][0]["interventions"][0]["description"].startswith("Wound care")
    assert data["visits"][0]["notes"] == "Key under the mat"
    assert any(c["changes"].get("city") == ["Amsterdam", "Hengelo"] for c in data["change_history"])
    assert [e["who"] for e in data["access_log"]] == [access_world.coach_a.username]
    assert AccessEvent.objects.filter(
        client_public_id=record.public_id, action=Action.EXPORT, part="gdpr-export"
    ).exists()


def test_export_pdf_is_readable(client, access_world) -> None:
    record = _full_record(team=access_world.team_a)
    client.force_login(access_world.nurse_a)
    response = client.get(reverse("privacy:export-pdf", args=[record.public_id]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("who", ["nurse_b", "coach_b", "back_office", "admin"])
def test_export_is_404_for_who_may_not_read_the_record(client, access_world, who) -> None:
    record = _full_record(team=access_world.team_a)
    client.force_login(getattr(access_world, who))
    assert client.get(reverse("privacy:export-json", args=[record.public_id])).status_code == 404


def test_erasure_after_retention_anonymises_and_keeps_what_must_stay(settings) -> None:
    # given a client discharged 21 years ago and one discharged 5 years ago
    settings.PRIVACY_RETENTION_YEARS = 20
    old = _full_record(
        admitted_on=dt.date(2001, 3, 1),
        status="discharged",
        discharged_on=dt.date(2005, 6, 1),
        key_safe_note="Key safe code 4821",
        allergies="Penicillin",
        alarm_note="Neck alarm",
    )
    recent = _full_record(
        admitted_on=dt.date(2019, 3, 1), status="discharged", discharged_on=dt.date(2021, 6, 1)
    )
    old_bsn = old.bsn
    # when the nightly job runs (twice: it must be idempotent)
    queued = clients_erase_expired_task()
    again = clients_erase_expired_task()
    # then
    old.refresh_from_db()
    assert queued == 1
    assert again == 0
    assert (old.first_name, old.last_name, old.street, old.phone) == (ERASED_NAME,) * 2 + ("",) * 2
    assert (old.key_safe_note, old.allergies, old.alarm_note) == ("", "", "")
    assert old_bsn
    assert old.bsn is None  # no stand-in number: an erased record has no BSN at all
    assert old.date_of_birth == dt.date(old.date_of_birth.year, 1, 1)
    assert not NetworkContact.objects.filter(client=old).exists()
    assert Intervention.objects.get(client_problem__client=old).description == ERASED_NAME
    assert old.visits.get().notes == ""
    # history snapshots with the old BSN are gone; the Omaha codes and visits stay
    assert not ClientEvent.objects.filter(pgh_obj_id=old.pk).exists()
    problem_ids = list(old.problems.values_list("pk", flat=True))
    assert not InterventionEvent.objects.filter(client_problem_id__in=problem_ids).exists()
    assert old.problems.count() == 1
    assert (
        AccessEvent.objects.filter(
            client_public_id=old.public_id, action=Action.DELETE, part="gdpr-erasure"
        ).count()
        == 1
    )
    # and the recent record is untouched
    recent.refresh_from_db()
    assert recent.first_name != ERASED_NAME
    assert NetworkContact.objects.filter(client=recent).exists()
