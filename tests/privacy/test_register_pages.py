"""The register pages: back office records a request at the field, sees the deadline and
overdue ones highlighted, sees what must be kept before an erasure, and handles it."""

import datetime as dt

import pytest
from django.urls import reverse

from buurtzorg.audit.models import AccessEvent
from scheduling.privacy.models import PrivacyRequest
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_back_office_records_and_handles_a_request(client, access_world) -> None:
    record = ClientFactory(
        team=access_world.team_a, first_name="Anna", last_name="Visser", status="active"
    )
    client.force_login(access_world.back_office)
    url = reverse("privacy:request-list")
    # Bad input: a message at the field, what was typed kept, nothing stored
    response = client.post(
        url, {"client": "not-an-id", "kind": "erasure", "requested_on": "2026-10-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["client"]
    assert 'value="2026-10-01"' in response.content.decode()
    assert not PrivacyRequest.objects.exists()
    # A good one
    response = client.post(
        url, {"client": str(record.public_id), "kind": "erasure", "requested_on": "2026-10-01"}
    )
    request = PrivacyRequest.objects.get()
    assert response.status_code == 302
    assert request.due_on == dt.date(2026, 11, 1)
    page = client.get(url).content.decode()
    assert "Visser" in page
    assert "Overdue" in page  # answer was due 1 Nov 2026
    detail_url = reverse("privacy:request-detail", args=[request.public_id])
    detail = client.get(detail_url).content.decode()
    assert "WGBO" in detail  # she is in care: the medical record must be kept
    assert "still in care" in detail
    before = AccessEvent.objects.count()
    response = client.post(detail_url, {"outcome": "done", "note": ""})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.outcome == "refused_retention"
    assert AccessEvent.objects.count() == before + 1
    assert "Overdue" not in client.get(url).content.decode()


@pytest.mark.parametrize("who", ["nurse_a", "coach_a"])
def test_care_staff_do_not_see_the_register(client, access_world, who) -> None:
    client.force_login(getattr(access_world, who))
    assert client.get(reverse("privacy:request-list")).status_code == 404


def test_the_handler_can_keep_a_discharged_record_for_someone_else(client, access_world) -> None:
    record = ClientFactory(
        team=access_world.team_a,
        last_name="Visser",
        admitted_on=dt.date(2019, 3, 1),
        status="discharged",
        discharged_on=dt.date(2025, 6, 1),
    )
    client.force_login(access_world.back_office)
    client.post(
        reverse("privacy:request-list"),
        {"client": str(record.public_id), "kind": "erasure", "requested_on": "2026-11-20"},
    )
    request = PrivacyRequest.objects.get()
    detail_url = reverse("privacy:request-detail", args=[request.public_id])
    detail = client.get(detail_url).content.decode()
    assert "7:455" in detail
    assert 'name="important_to_other"' in detail
    response = client.post(
        detail_url, {"outcome": "done", "important_to_other": "Matters for the children"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    record.refresh_from_db()
    assert request.outcome == "refused_retention"
    assert "Matters for the children" in request.note
    assert record.last_name == "Visser"
