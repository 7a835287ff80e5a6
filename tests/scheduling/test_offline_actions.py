"""The phone's offline queue (issue 18): one endpoint applies every kind of queued action, each
key exactly once, with the time the nurse did it; what changed on the server meanwhile comes
back as a conflict that says what to do, and stores nothing."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from buurtzorg.audit.models import AccessEvent
from clients.models import OutcomeRating
from scheduling.carenotes.models import CareReport
from scheduling.medication.models import DoseSignoff
from scheduling.models import Visit, VisitLogKey, VisitStatus
from scheduling.services import visits as services
from scheduling.services.offline import OFFLINE_CANCELLED, OFFLINE_REASSIGNED
from scheduling.services.rota import local_datetime
from tests.factories import MedicationFactory
from tests.scheduling.conftest import DAY

pytestmark = pytest.mark.django_db


def planned(world, hour: int = 9) -> Visit:
    return services.visit_schedule(
        client=world.client_record,
        nurse=world.nurse,
        starts_at=local_datetime(DAY, dt.time(hour)),
        planned_minutes=30,
        actor=world.nurse,
        planned_interventions=[world.intervention],
        service=world.service,
    )


def send(client, visit: Visit, kind: str, payload: dict | None = None, **extra: object):
    body = {
        "key": str(extra.get("key") or uuid.uuid4()),
        "kind": kind,
        "at": (extra.get("at") or local_datetime(DAY, dt.time(9, 40))).isoformat(),
        "payload": payload or {},
    }
    url = reverse("api-visit-offline", args=[visit.public_id])
    return client.post(url, body, content_type="application/json")


def test_done_as_planned_is_applied_once_at_the_phones_time(client, world) -> None:
    # given a visit, and "done" queued on the phone at 09:40
    visit = planned(world)
    key = uuid.uuid4()
    client.force_login(world.nurse)

    # when the queue is sent twice (the first answer was lost)
    first = send(client, visit, "done", key=key)
    second = send(client, visit, "done", key=key)

    # then the log is applied once, at the phone's time; the repeat changes nothing
    assert (first.status_code, second.status_code) == (200, 200)
    assert (first.json()["status"], second.json()["status"]) == ("applied", "repeated")
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE
    assert visit.logged_at == local_datetime(DAY, dt.time(9, 40))
    assert VisitLogKey.objects.get(key=key).kind == "done"
    assert AccessEvent.objects.filter(part="visit-log", action="update").count() == 1


def test_a_deviation_logs_the_other_duration_with_its_reason(client, world) -> None:
    visit = planned(world)
    client.force_login(world.nurse)
    payload = {
        "minutes": "50",
        "deviation_reason": "Wound took longer",
        "note": "Stairs",
        "done_interventions": [str(world.intervention.pk)],  # as the page form names them
    }
    response = send(client, visit, "deviation", payload)
    assert response.status_code == 200, response.json()
    visit.refresh_from_db()
    assert (visit.logged_minutes, visit.deviation_reason, visit.log_note) == (
        50,
        "Wound took longer",
        "Stairs",
    )
    assert visit.logged_at == local_datetime(DAY, dt.time(9, 40))


def test_a_refused_deviation_keeps_no_key_so_it_can_be_sent_corrected(client, world) -> None:
    visit = planned(world)
    key = uuid.uuid4()
    client.force_login(world.nurse)
    refused = send(client, visit, "deviation", {"minutes": "50"}, key=key)
    assert refused.status_code == 400
    assert "give a short reason" in refused.json()["deviation_reason"][0]
    assert not VisitLogKey.objects.exists()
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.PLANNED
    fixed = send(client, visit, "deviation", {"minutes": "50", "deviation_reason": "x"}, key=key)
    assert fixed.status_code == 200


def test_a_report_is_written_once_at_the_visit_when_she_wrote_it(client, world) -> None:
    visit = planned(world)
    key = uuid.uuid4()
    client.force_login(world.nurse)
    payload = {
        "client_problem": str(world.problem.public_id),
        "text": "Pain 3/10, walks to the door.",
        "for_handover": "on",
        "knowledge": "3",
        "behavior": "4",
        "status": "4",
    }
    assert send(client, visit, "report", payload, key=key).status_code == 200
    assert send(client, visit, "report", payload, key=key).json()["status"] == "repeated"
    report = CareReport.objects.get()
    assert (report.visit_id, report.client_problem_id) == (visit.pk, world.problem.pk)
    assert report.written_at == local_datetime(DAY, dt.time(9, 40))
    assert report.for_handover
    assert OutcomeRating.objects.filter(client_problem=world.problem).count() == 1


def test_a_general_note_without_text_is_refused_at_its_field(client, world) -> None:
    visit = planned(world)
    client.force_login(world.nurse)
    response = send(client, visit, "report", {"text": " "})
    assert response.status_code == 400
    assert "text" in response.json()
    assert not CareReport.objects.exists()


def test_a_rating_is_added_for_the_day_of_the_action(client, world) -> None:
    visit = planned(world)
    client.force_login(world.nurse)
    payload = {
        "client_problem": str(world.problem.public_id),
        "knowledge": 2,
        "behavior": 3,
        "status": 4,
    }
    assert send(client, visit, "rating", payload).status_code == 200
    rating = OutcomeRating.objects.get(client_problem=world.problem)
    assert (rating.knowledge, rating.behavior, rating.status, rating.rated_on) == (2, 3, 4, DAY)


def test_a_dose_is_signed_off_once(client, world) -> None:
    visit = planned(world)
    medication = MedicationFactory(client=world.client_record, times_of_day=["09:00"])
    client.force_login(world.nurse)
    payload = {
        "medication": str(medication.public_id),
        "due_at": local_datetime(DAY, dt.time(9)).isoformat(),
        "outcome": "given",
    }
    key = uuid.uuid4()
    assert send(client, visit, "dose", payload, key=key).status_code == 200
    assert send(client, visit, "dose", payload, key=key).json()["status"] == "repeated"
    signoff = DoseSignoff.objects.get()
    assert (signoff.medication_id, signoff.visit_id, signoff.signed_by_id) == (
        medication.pk,
        visit.pk,
        world.nurse.pk,
    )


def test_a_visit_given_to_a_colleague_meanwhile_is_a_conflict(client, world) -> None:
    visit = planned(world)
    services.visit_assign(visit=visit, nurse=world.colleague, actor=world.nurse)
    client.force_login(world.nurse)
    response = send(client, visit, "done")
    assert response.status_code == 409
    assert response.json() == {"detail": str(OFFLINE_REASSIGNED), "code": "reassigned"}
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.PLANNED
    assert not VisitLogKey.objects.exists()


def test_a_visit_cancelled_meanwhile_is_a_conflict(client, world) -> None:
    visit = planned(world)
    services.visit_cancel(visit=visit, actor=world.nurse)
    client.force_login(world.nurse)
    response = send(client, visit, "report", {"text": "Came anyway"})
    assert response.status_code == 409
    assert response.json() == {"detail": str(OFFLINE_CANCELLED), "code": "cancelled"}
    assert not CareReport.objects.exists()


def test_a_visit_billed_meanwhile_is_a_conflict_that_says_to_correct(client, world) -> None:
    visit = planned(world)
    Visit.objects.filter(pk=visit.pk).update(billed_at=timezone.now())
    client.force_login(world.nurse)
    response = send(client, visit, "deviation", {"minutes": "45", "deviation_reason": "x"})
    assert response.status_code == 409
    assert response.json()["code"] == "billed"
    assert "correction" in response.json()["detail"]
    assert Visit.objects.get(pk=visit.pk).logged_minutes is None


def test_another_teams_visit_is_not_found(client, world) -> None:
    visit = planned(world)
    client.force_login(world.other_nurse)
    assert send(client, visit, "done").status_code == 404
    assert not VisitLogKey.objects.exists()


def test_a_key_is_not_reused_for_another_kind(client, world) -> None:
    visit = planned(world)
    key = uuid.uuid4()
    client.force_login(world.nurse)
    assert send(client, visit, "done", key=key).status_code == 200
    response = send(client, visit, "report", {"text": "x"}, key=key)
    assert response.status_code == 400
    assert "key" in response.json()
    assert not CareReport.objects.exists()


def test_an_unknown_kind_and_a_time_in_the_future_are_refused(client, world) -> None:
    visit = planned(world)
    client.force_login(world.nurse)
    assert send(client, visit, "teleport").status_code == 400
    later = timezone.now() + dt.timedelta(hours=2)
    response = send(client, visit, "done", at=later)
    assert response.status_code == 400
    assert "at" in response.json()
    assert not VisitLogKey.objects.exists()
