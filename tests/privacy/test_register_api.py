"""The register through the API: record, read with retention, handle; in the schema."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from scheduling.privacy.models import PrivacyRequest
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_back_office_records_reads_and_handles_through_the_api(access_world) -> None:
    record = ClientFactory(team=access_world.team_a)
    api = APIClient()
    api.force_authenticate(access_world.back_office)
    bad = api.post(
        "/api/privacy-requests/",
        {"client": str(record.public_id), "kind": "forget-me", "requested_on": "2026-10-01"},
    )
    assert bad.status_code == 400
    assert "kind" in bad.json()
    assert not PrivacyRequest.objects.exists()
    created = api.post(
        "/api/privacy-requests/",
        {"client": str(record.public_id), "kind": "erasure", "requested_on": "2026-10-01"},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["due_on"] == "2026-11-01"
    assert body["overdue"] is True
    detail = api.get(f"/api/privacy-requests/{body['id']}/").json()
    assert "WGBO" in detail["retention"][0]["why"]
    handled = api.post(f"/api/privacy-requests/{body['id']}/handle/", {"outcome": "done"})
    assert handled.status_code == 200
    assert handled.json()["outcome"] == "refused_retention"
    assert api.get("/api/privacy-requests/").json()[0]["overdue"] is False


def test_nurses_get_no_register(access_world) -> None:
    api = APIClient()
    api.force_authenticate(access_world.nurse_a)
    assert api.get("/api/privacy-requests/").status_code == 403


def test_the_schema_lists_the_register(client, access_world) -> None:
    client.force_login(access_world.back_office)
    schema = client.get(reverse("api-schema")).content.decode()
    for path in (
        "/api/privacy-requests/",
        "/api/privacy-requests/{id}/",
        "/api/privacy-requests/{id}/handle/",
    ):
        assert path in schema
