"""Billing reads that show client data (pre-flight list, files) write exactly one access row."""

import pytest
from django.http import Http404
from django.urls import reverse

from buurtzorg.audit.models import AccessEvent, Action
from clients.models import Client
from scheduling.billing import reads, services
from scheduling.billing.models import BillingRun, RunStatus
from scheduling.models import Visit, VisitStatus
from tests.billing.conftest import MARCH

pytestmark = pytest.mark.django_db

OUTSIDERS = ["nurse_a", "coach_a", "admin"]


def _run(django_capture_on_commit_callbacks) -> BillingRun:
    # Bram's visit of 20 March is still planned: cancelled, so that the check has nothing
    # else to say (a planned visit not logged is listed, see test_preflight_truthful).
    Visit.objects.filter(status=VisitStatus.PLANNED).update(status=VisitStatus.CANCELLED)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.billing_run_request(period=MARCH, insurer=None, actor=None).run
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT, run.error
    return run


@pytest.fixture
def run_with_problem(billing_world, django_capture_on_commit_callbacks) -> BillingRun:
    """A draft whose check found Bram without a policy number (the list names him)."""
    Client.objects.filter(pk=billing_world.bram.pk).update(policy_number="")
    return _run(django_capture_on_commit_callbacks)


@pytest.fixture
def clean_run(billing_world, django_capture_on_commit_callbacks) -> BillingRun:
    return _run(django_capture_on_commit_callbacks)


def test_run_page_with_a_preflight_list_is_one_list_row(access_world, run_with_problem) -> None:
    # when
    page = reads.billing_run_open(
        actor=access_world.back_office, public_id=run_with_problem.public_id
    )
    # then
    assert [p.code for p in page.problems] == ["missing_policy_number"]
    assert page.files
    assert page.can_finalise
    row = AccessEvent.objects.get()
    assert (row.user_id, row.action, row.part, row.detail) == (
        access_world.back_office.pk,
        Action.LIST,
        "billing-preflight",
        str(run_with_problem),
    )


def test_a_clean_preflight_names_nobody_and_writes_no_row(access_world, clean_run) -> None:
    page = reads.billing_run_open(actor=access_world.back_office, public_id=clean_run.public_id)
    preflight = reads.billing_preflight_read(
        actor=access_world.back_office, public_id=clean_run.public_id
    )
    assert (page.problems, preflight.problems, preflight.can_finalise) == ([], [], True)
    assert not AccessEvent.objects.exists()


def test_api_preflight_read_is_one_list_row(access_world, run_with_problem) -> None:
    preflight = reads.billing_preflight_read(
        actor=access_world.back_office, public_id=run_with_problem.public_id
    )
    assert (preflight.blocking, preflight.can_finalise) == (1, False)
    row = AccessEvent.objects.get()
    assert (row.action, row.part) == (Action.LIST, "billing-preflight")


def test_file_open_is_one_export_row(access_world, clean_run) -> None:
    run_file = clean_run.files.get(insurer__uzovi="3311", kind="csv")
    opened = reads.billing_file_open(actor=access_world.back_office, public_id=run_file.public_id)
    assert opened == run_file
    row = AccessEvent.objects.get()
    assert (row.user_id, row.action, row.part, row.detail) == (
        access_world.back_office.pk,
        Action.EXPORT,
        "billing-file",
        run_file.filename,
    )


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_and_no_row(access_world, run_with_problem, who) -> None:
    actor = getattr(access_world, who)
    run_file = run_with_problem.files.first()
    with pytest.raises(Http404, match="No BillingRun matches the given query"):
        reads.billing_run_open(actor=actor, public_id=run_with_problem.public_id)
    with pytest.raises(Http404, match="No BillingRun matches the given query"):
        reads.billing_preflight_read(actor=actor, public_id=run_with_problem.public_id)
    with pytest.raises(Http404, match="No RunFile matches the given query"):
        reads.billing_file_open(actor=actor, public_id=run_file.public_id)
    assert not AccessEvent.objects.exists()


def test_pages_and_api_write_one_row_per_request(client, access_world, run_with_problem) -> None:
    run_file = run_with_problem.files.first()
    client.force_login(access_world.back_office)
    expected = [
        (run_with_problem.get_absolute_url(), (Action.LIST, "billing-preflight")),
        (
            reverse("api-billing-run-preflight", args=[run_with_problem.public_id]),
            (Action.LIST, "billing-preflight"),
        ),
        (run_file.get_absolute_url(), (Action.EXPORT, "billing-file")),
        (reverse("api-billing-file", args=[run_file.public_id]), (Action.EXPORT, "billing-file")),
    ]
    for url, shape in expected:
        before = AccessEvent.objects.count()
        assert client.get(url).status_code == 200, url
        rows = AccessEvent.objects.order_by("pk")[before:]
        assert [(r.action, r.part) for r in rows] == [shape], url


def test_asking_for_a_fresh_check_shows_no_list_and_writes_no_row(
    client, access_world, run_with_problem, django_capture_on_commit_callbacks
) -> None:
    client.force_login(access_world.back_office)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("api-billing-run-preflight", args=[run_with_problem.public_id])
        )
    assert response.status_code == 202
    assert response.json() == {"can_finalise": False, "checked_at": None, "problems": []}
    assert not AccessEvent.objects.exists()
