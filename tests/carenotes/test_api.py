"""The reports and handover API: the same gate and services as the pages, in the schema."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from buurtzorg.audit.models import AccessEvent
from clients.models import OutcomeRating
from scheduling.carenotes.models import CareReport, HandoverRead
from tests.carenotes.conftest import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def reports_url(world) -> str:
    return reverse("api-client-reports", args=[world.client_record.public_id])


def test_nurse_writes_a_report_with_a_rating(api, world) -> None:
    api.force_authenticate(world.nurse)
    response = api.post(
        reports_url(world),
        {
            "text": "Wound smaller.",
            "problem": str(world.problem.public_id),
            "for_handover": True,
            "knowledge": 3,
            "behavior": 3,
            "status": 4,
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["problem_code"] == world.problem.problem.code
    assert CareReport.objects.get().for_handover
    assert OutcomeRating.objects.get().status == 4


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "x" * 4001}, "text"),
        ({"text": "Later", "written_at": "2999-01-01T10:00:00Z"}, "written_at"),
        ({"text": "Rated", "knowledge": 6, "behavior": 3, "status": 3}, "knowledge"),
    ],
)
def test_bad_input_is_a_400_at_the_field_and_stores_nothing(api, world, body, field) -> None:
    api.force_authenticate(world.nurse)
    response = api.post(
        reports_url(world), {"problem": str(world.problem.public_id), **body}, format="json"
    )
    assert response.status_code == 400
    assert field in response.data
    assert not CareReport.objects.exists()
    assert not OutcomeRating.objects.exists()


def test_problem_of_another_client_is_unknown(api, world) -> None:
    from tests.factories import ClientProblemFactory

    api.force_authenticate(world.nurse)
    other = ClientProblemFactory()
    response = api.post(
        reports_url(world), {"text": "x", "problem": str(other.public_id)}, format="json"
    )
    assert response.status_code == 400
    assert "problem" in response.data


def test_list_is_filtered_paged_and_logged_once(api, world) -> None:
    for i in range(5):
        report(world, ago=dt.timedelta(hours=i + 1), text=f"Entry {i}.")
    api.force_authenticate(world.coach)
    AccessEvent.objects.all().delete()
    response = api.get(reports_url(world), {"q": "Entry"})
    assert response.status_code == 200
    assert [r["text"] for r in response.data["results"]] == [f"Entry {i}." for i in range(5)]
    assert AccessEvent.objects.filter(part="timeline").count() == 1


def test_other_team_and_back_office_get_nothing(api, world) -> None:
    report(world)
    api.force_authenticate(world.other_nurse)
    assert api.get(reports_url(world)).status_code == 404
    api.force_authenticate(world.back_office)
    assert api.get(reports_url(world)).status_code == 403


def test_change_in_the_window_is_200_after_it_a_new_entry_201(api, world, old_report) -> None:
    api.force_authenticate(world.nurse)
    fresh = report(world, ago=dt.timedelta(minutes=1))
    url = reverse("api-client-report", args=[world.client_record.public_id, fresh.public_id])
    assert api.post(url, {"text": "Fixed typo."}, format="json").status_code == 200
    url = reverse("api-client-report", args=[world.client_record.public_id, old_report.public_id])
    response = api.post(url, {"text": "Later view."}, format="json")
    assert response.status_code == 201
    assert response.data["replaces"] == str(old_report.public_id)


def test_handover_lists_and_marks_read(api, world) -> None:
    marked = report(world, text="Night: confused.", for_handover=True)
    api.force_authenticate(world.nurse)
    items = api.get(reverse("api-handover"), {"since": "24h"}).data["items"]
    item = next(i for i in items if i["key"] == f"report:{marked.public_id}")
    assert item["read"] is False
    response = api.post(reverse("api-handover-read"), {"key": item["key"]}, format="json")
    assert response.status_code == 204
    assert HandoverRead.objects.filter(nurse=world.nurse).count() == 1
    items = api.get(reverse("api-handover"), {"since": "24h"}).data["items"]
    assert next(i for i in items if i["key"] == item["key"])["read"] is True


def test_endpoints_are_in_the_schema(api, world) -> None:
    api.force_authenticate(world.nurse)
    paths = api.get(reverse("api-schema"), {"format": "json"}).json()["paths"]
    assert "/api/clients/{id}/reports/" in paths
    assert "/api/clients/{id}/reports/{report_id}/" in paths
    assert "/api/handover/" in paths
    assert "/api/handover/read/" in paths


def test_written_at_defaults_to_now(api, world) -> None:
    api.force_authenticate(world.nurse)
    api.post(reports_url(world), {"text": "Now."}, format="json")
    assert abs(CareReport.objects.get().written_at - timezone.now()) < dt.timedelta(minutes=1)
