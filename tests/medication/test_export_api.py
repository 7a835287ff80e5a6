"""Medication in the FHIR export, the GDPR copy and erasure, the API, handover and notice."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from clients.models import ERASED_NAME, ClientStatus
from scheduling.medication import services
from scheduling.medication.handover import overdue_doses
from scheduling.medication.models import ATC_SYSTEM, DoseSignoff
from scheduling.medication.notices import NOTICE_KEY, overdue_doses_notify
from scheduling.privacy.reads import client_data
from scheduling.privacy.services import client_erase
from tests.medication.conftest import PASSWORD, MedWorld, at

pytestmark = pytest.mark.django_db


def _sign_tablet(med: MedWorld, outcome: str = "not_given", reason: str = "Slept") -> DoseSignoff:
    return services.dose_sign(
        visit=med.visit,
        medication=med.tablet,
        due_at=at(8),
        outcome=outcome,
        reason=reason,
        actor=med.nurse,
    )


def test_the_fhir_export_has_requests_and_administrations(client, med: MedWorld) -> None:
    signoff = _sign_tablet(med)
    client.force_login(med.nurse)
    bundle = client.get(reverse("clients:client-export", args=[med.client_record.public_id])).json()
    resources = {e["resource"]["id"]: e["resource"] for e in bundle["entry"]}
    insulin = resources[str(med.insulin.public_id)]
    assert insulin["resourceType"] == "MedicationRequest"
    assert insulin["medicationCodeableConcept"]["coding"] == [
        {"system": ATC_SYSTEM, "code": "A10AB05", "display": "Insuline aspart"}
    ]
    assert insulin["dosageInstruction"][0]["timing"]["repeat"]["timeOfDay"] == ["08:00:00"]
    given = resources[str(signoff.public_id)]
    assert given["resourceType"] == "MedicationAdministration"
    assert given["status"] == "not-done"
    assert given["statusReason"] == [{"text": "Slept"}]


def test_the_gdpr_copy_holds_medication_and_sign_offs(med: MedWorld) -> None:
    _sign_tablet(med)
    data = client_data(client=med.client_record)
    by_name = {m["name"]: m for m in data["medications"]}
    assert by_name["Metformine"]["signoffs"][0]["reason"] == "Slept"


def test_erasure_removes_the_free_text_and_keeps_the_sign_offs(med: MedWorld) -> None:
    # given a discharged client long past retention, with a reason and instructions
    signoff = _sign_tablet(med)
    med.tablet.instructions = "Met eten innemen, bij mevrouw Jansen thuis"
    med.tablet.save()
    # (a record this old predates the rule that a discharge leaves no visits after it, so it is
    # written with the triggers off, as the superuser the tests connect as)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        type(med.client_record).objects.filter(pk=med.client_record.pk).update(
            status=ClientStatus.DISCHARGED,
            admitted_on=dt.date(1985, 1, 1),
            discharged_on=dt.date(1990, 1, 1),
            discharge_reason="moved",
        )
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    # when
    assert client_erase(client_id=med.client_record.pk)
    # then
    med.tablet.refresh_from_db()
    signoff.refresh_from_db()
    assert med.tablet.instructions == ""
    assert signoff.reason == ERASED_NAME
    assert signoff.outcome == "not_given"


def test_the_handover_lists_overdue_doses(med: MedWorld) -> None:
    items = overdue_doses(team=med.team, since=at(0), user=med.nurse)
    assert {(i.kind, i.client, i.when) for i in items} == {
        ("medication-overdue", med.client_record, at(8))
    }
    assert {i.high_risk for i in items} == {True, False}
    assert len({i.key for i in items}) == 2  # each dose has its own read mark


def test_the_evening_notice_posts_the_days_missed_doses(med: MedWorld, settings) -> None:
    posted: list[dict] = []
    settings.TEAM_NOTICE_HOOKS = [f"{__name__}._record"]
    _RECORDED.clear()
    _sign_tablet(med, outcome="given", reason="")
    doses = overdue_doses_notify(team_id=med.team.pk, now=at(21, 30))
    posted = list(_RECORDED)
    assert [d.medication for d in doses] == [med.insulin]
    assert posted[0]["key"] == NOTICE_KEY
    assert "Insuline aspart" in posted[0]["body"]
    assert "Jansen" not in posted[0]["body"]  # initials only


_RECORDED: list[dict] = []


def _record(**notice: object) -> None:
    _RECORDED.append(notice)


# --- API ----


def _api(user) -> APIClient:  # noqa: ANN001
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_the_api_lists_and_adds_medication(med: MedWorld) -> None:
    url = reverse("api-client-medication", args=[med.client_record.public_id])
    assert {m["name"] for m in _api(med.coach).get(url).json()} == {
        "Metformine",
        "Insuline aspart",
    }
    bad = _api(med.nurse).post(
        url,
        {
            "name": "X",
            "form": "tablet",
            "route": "oral",
            "dose_amount": "2",
            "starts_on": "2026-06-01",
            "times_of_day": ["08:00"],
        },
        format="json",
    )
    assert bad.status_code == 400
    assert "dose_unit" in bad.json()
    assert _api(med.coach).post(url, {}, format="json").status_code == 404


def test_the_api_signs_a_high_risk_dose_with_the_second_nurse(med: MedWorld) -> None:
    url = reverse("api-visit-doses", args=[med.visit.public_id])
    due = _api(med.nurse).get(url).json()
    assert {d["name"] for d in due} == {"Metformine", "Insuline aspart"}
    response = _api(med.nurse).post(
        url,
        {
            "medication": str(med.insulin.public_id),
            "due_at": at(8).isoformat(),
            "outcome": "given",
            "second_username": med.colleague.username,
            "second_password": PASSWORD,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["second_signer"] == med.colleague.username


def test_the_schema_lists_the_medication_endpoints(client, med: MedWorld) -> None:
    client.force_login(med.nurse)
    schema = client.get(reverse("api-schema")).content.decode()
    for path in (
        "/api/clients/{id}/medication/",
        "/api/medication/{id}/stop/",
        "/api/visits/{id}/doses/",
        "/api/visits/{id}/doses/all-given/",
        "/api/signoffs/{id}/correct/",
    ):
        assert path in schema
