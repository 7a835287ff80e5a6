"""While a run works its page shows the step and the progress, never partial totals as if
final (issue 19, item 8); the API gives null totals until the draft is built."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from scheduling.billing.models import BillingRun, RunStage, RunStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def working_run(access_world) -> BillingRun:
    # half-way: the partial figures a worker has written so far must not be shown as totals
    return BillingRun.objects.create(
        period=dt.date(2026, 3, 1),
        status=RunStatus.RUNNING,
        stage=RunStage.FILES,
        groups_total=1200,
        files_total=6,
        files_done=3,
        line_count=700,
        total_amount=Decimal("4321.09"),
        requested_by=access_world.back_office,
    )


def test_the_run_page_shows_the_step_and_progress_not_a_total(client, access_world, working_run):
    client.force_login(access_world.back_office)
    with translation.override("en"):
        page = client.get(
            reverse("billing:run-detail", args=[working_run.public_id]), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    assert "writing files" in page
    assert "<progress" in page
    assert "files 3 of 6" in page
    assert "known when the run is done" in page
    assert "4321" not in page
    assert "4.321" not in page


def test_the_run_list_shows_progress_instead_of_a_total(client, access_world, working_run):
    client.force_login(access_world.back_office)
    page = client.get(reverse("billing:run-list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "4321" not in page
    assert "4.321" not in page
    assert f"{working_run.progress_percent}%" in page


def test_a_finished_run_shows_its_total(client, access_world, working_run) -> None:
    BillingRun.objects.filter(pk=working_run.pk).update(status=RunStatus.DRAFT, stage=RunStage.DONE)
    client.force_login(access_world.back_office)
    page = client.get(
        reverse("billing:run-detail", args=[working_run.public_id]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "known when the run is done" not in page
    assert "4,321.09" in page or "4.321,09" in page


def test_the_api_gives_null_totals_while_working(access_world, working_run) -> None:
    api = APIClient()
    api.force_authenticate(access_world.back_office)
    body = api.get(reverse("api-billing-run-detail", args=[working_run.public_id])).json()
    assert (body["status"], body["stage"], body["files_done"]) == ("running", "files", 3)
    assert body["total_amount"] is None
    assert body["line_count"] is None
