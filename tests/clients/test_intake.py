"""A BSN already in care elsewhere goes to back office, and the nurse learns nothing about
where (issue 20, item 10). Back office sees and resolves the requests (page and API)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from rest_framework.test import APIClient

from buurtzorg.audit.models import AccessEvent
from clients.intake.models import IntakeRequest, IntakeStatus
from clients.intake.services import SENT_TO_BACK_OFFICE
from clients.models import Client
from tests.factories import ClientFactory, InsurerFactory, make_bsn

pytestmark = pytest.mark.django_db


def _form(insurer, bsn: str) -> dict:  # noqa: ANN001
    return {
        "first_name": "Jan",
        "last_name": "de Groot",
        "date_of_birth": "1938-04-02",
        "bsn": bsn,
        "street": "Javastraat",
        "house_number": "12",
        "postcode": "1094 AB",
        "city": "Amsterdam",
        "insurer": insurer.pk,
        "policy_number": "ZK-123",
        "admitted_on": "2026-02-01",
    }


@pytest.fixture
def in_care_elsewhere(access_world) -> Client:
    return ClientFactory(team=access_world.team_b, last_name="Elsewhere")


def test_the_nurse_hears_only_that_it_was_sent_for_checking(
    client, access_world, in_care_elsewhere
) -> None:
    # given
    client.force_login(access_world.nurse_a)
    insurer = InsurerFactory()
    # when she registers a BSN in care with team B
    response = client.post(
        reverse("clients:client-register"), _form(insurer, in_care_elsewhere.bsn), follow=True
    )
    # then: a neutral message, no client, no word of team B
    assert response.status_code == 200
    shown = [str(m) for m in get_messages(response.wsgi_request)] + [response.content.decode()]
    assert any(str(SENT_TO_BACK_OFFICE) in text for text in shown)
    assert access_world.team_b.name not in response.content.decode()
    assert "already registered" not in response.content.decode()
    assert Client.objects.filter(bsn=in_care_elsewhere.bsn).count() == 1
    intake = IntakeRequest.objects.get()
    assert (intake.team, intake.in_care_with, intake.requested_by) == (
        access_world.team_a,
        access_world.team_b,
        access_world.nurse_a,
    )
    assert intake.details["last_name"] == "de Groot"


def test_a_new_bsn_and_one_in_care_elsewhere_look_alike_in_the_api(
    access_world, in_care_elsewhere
) -> None:
    api = APIClient()
    api.force_authenticate(access_world.nurse_a)
    insurer = InsurerFactory()
    body = _form(insurer, in_care_elsewhere.bsn) | {"insurer": insurer.uzovi}
    response = api.post(reverse("api-client-list"), body, format="json")
    assert response.status_code == 202
    assert response.json() == {"status": "sent_to_back_office", "detail": str(SENT_TO_BACK_OFFICE)}
    fresh = api.post(reverse("api-client-list"), body | {"bsn": make_bsn()}, format="json")
    assert fresh.status_code == 201


def test_back_office_sees_and_resolves_a_request(client, access_world, in_care_elsewhere) -> None:
    # given a request
    api = APIClient()
    api.force_authenticate(access_world.nurse_a)
    insurer = InsurerFactory()
    api.post(
        reverse("api-client-list"),
        _form(insurer, in_care_elsewhere.bsn) | {"insurer": insurer.uzovi},
        format="json",
    )
    intake = IntakeRequest.objects.get()
    # when back office opens the list (one access row)
    client.force_login(access_world.back_office)
    before = AccessEvent.objects.count()
    page = client.get(reverse("intake:list"))
    assert page.status_code == 200
    assert AccessEvent.objects.count() == before + 1
    text = page.content.decode()
    assert access_world.team_a.name in text
    assert access_world.team_b.name in text
    # and resolves it, first without saying what was done
    url = reverse("intake:resolve", args=[intake.public_id])
    refused = client.post(url, {"resolution": "  "})
    assert refused.status_code == 200
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.OPEN
    done = client.post(url, {"resolution": "Moved to Team A after a call"})
    assert done.status_code == 302
    intake.refresh_from_db()
    assert (intake.status, intake.resolved_by) == (IntakeStatus.RESOLVED, access_world.back_office)


@pytest.mark.parametrize("who", ["nurse_a", "coach_a", "admin"])
def test_only_back_office_reaches_the_requests(client, access_world, who: str) -> None:
    client.force_login(getattr(access_world, who))
    assert client.get(reverse("intake:list")).status_code == 404
    api = APIClient()
    api.force_authenticate(getattr(access_world, who))
    assert api.get(reverse("api-intake-list")).status_code in (403, 404)


def test_the_api_lists_and_resolves(access_world, in_care_elsewhere) -> None:
    nurse = APIClient()
    nurse.force_authenticate(access_world.nurse_a)
    insurer = InsurerFactory()
    nurse.post(
        reverse("api-client-list"),
        _form(insurer, in_care_elsewhere.bsn) | {"insurer": insurer.uzovi},
        format="json",
    )
    office = APIClient()
    office.force_authenticate(access_world.back_office)
    rows = office.get(reverse("api-intake-list")).json()
    assert [(r["team"], r["in_care_with"]) for r in rows] == [
        (access_world.team_a.name, access_world.team_b.name)
    ]
    url = reverse("api-intake-resolve", args=[rows[0]["id"]])
    assert office.post(url, {"resolution": "typo"}, format="json").json()["status"] == "resolved"
    assert office.post(url, {"resolution": "again"}, format="json").status_code == 400


def test_the_gdpr_export_holds_the_request_and_erasure_removes_it(
    access_world, in_care_elsewhere
) -> None:
    import datetime as dt

    from scheduling.privacy.reads import client_data
    from scheduling.privacy.services import client_erase

    # given a request made with the BSN of team B's client
    nurse = APIClient()
    nurse.force_authenticate(access_world.nurse_a)
    insurer = InsurerFactory()
    nurse.post(
        reverse("api-client-list"),
        _form(insurer, in_care_elsewhere.bsn) | {"insurer": insurer.uzovi},
        format="json",
    )
    # then the subject access copy lists it
    data = client_data(client=in_care_elsewhere)
    assert [r["bsn"] for r in data["intake_requests"]] == [in_care_elsewhere.bsn]
    # and the erasure after retention deletes it
    Client.objects.filter(pk=in_care_elsewhere.pk).update(
        admitted_on=dt.date(2000, 1, 3),
        status="discharged",
        discharged_on=dt.date(2001, 1, 3),
        discharge_reason="moved",
    )
    assert client_erase(client_id=in_care_elsewhere.pk) is True
    assert not IntakeRequest.objects.exists()
