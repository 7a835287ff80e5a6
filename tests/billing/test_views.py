"""Back-office pages and API: access (404 for others), forms, progress, downloads, queries."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from scheduling.billing import services
from scheduling.billing.models import BillingRun, RunStatus
from tests.billing.conftest import HAND_TOTALS, MARCH

pytestmark = pytest.mark.django_db

OUTSIDERS = ["nurse_a", "coach_a", "admin"]


@pytest.fixture
def draft_run(billing_world, django_capture_on_commit_callbacks) -> BillingRun:
    with django_capture_on_commit_callbacks(execute=True):
        run = services.billing_run_request(period=MARCH, insurer=None, actor=None).run
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT, run.error
    return run


def test_back_office_starts_on_the_run_list(client, access_world) -> None:
    client.force_login(access_world.back_office)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("billing:run-list")
    assert b"Start a billing run" in response.content


@pytest.mark.parametrize("who", OUTSIDERS)
def test_only_back_office_sees_billing_pages_files_and_api(client, access_world, draft_run, who):
    run_file = draft_run.files.first()
    urls = [
        reverse("billing:run-list"),
        draft_run.get_absolute_url(),
        reverse("billing:run-progress", args=[draft_run.public_id]),
        run_file.get_absolute_url(),
        reverse("api-billing-run-list"),
        reverse("api-billing-run-detail", args=[draft_run.public_id]),
        reverse("api-billing-run-preflight", args=[draft_run.public_id]),
        reverse("api-billing-file", args=[run_file.public_id]),
    ]
    client.force_login(getattr(access_world, who))
    for url in urls:
        assert client.get(url).status_code == 404, url
    finalise = reverse("api-billing-run-finalise", args=[draft_run.public_id])
    assert client.post(finalise).status_code == 404
    draft_run.refresh_from_db()
    assert draft_run.status == RunStatus.DRAFT


def test_back_office_downloads_the_files(client, access_world, draft_run) -> None:
    client.force_login(access_world.back_office)
    run_file = draft_run.files.get(insurer__uzovi="3311", kind="csv")
    response = client.get(run_file.get_absolute_url())
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[-1].endswith(f"{HAND_TOTALS['3311']},")
    assert "attachment" in response["Content-Disposition"]
    api = client.get(reverse("api-billing-file", args=[run_file.public_id]))
    assert api.status_code == 200


def test_anonymous_users_are_sent_to_login(client, draft_run) -> None:
    response = client.get(draft_run.get_absolute_url())
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_start_form_shows_the_error_and_keeps_the_input(client, access_world, billing_world):
    client.force_login(access_world.back_office)
    future = (dt.date.today().replace(day=1) + dt.timedelta(days=40)).strftime("%Y-%m")
    response = client.post(
        reverse("billing:run-start"), {"period": future, "insurer": billing_world.zilveren.pk}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "has not ended yet" in content
    assert f'value="{future}"' in content
    assert BillingRun.objects.count() == 0


@pytest.mark.parametrize("typed", ["0353-01", "1999-12", "2101-01"])
def test_start_form_refuses_a_year_outside_2000_to_2100_at_the_field(
    client, access_world, billing_world, typed
) -> None:
    # given a back-office user who mistypes the year
    client.force_login(access_world.back_office)
    # when
    response = client.post(reverse("billing:run-start"), {"period": typed})
    # then the month field says why, keeps what was typed, and nothing is stored
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["period"] == ["Choose a month between 2000-01 and 2100-12."]
    assert f'value="{typed}"' in response.content.decode()
    assert "353-01" not in response.content.decode().replace(typed, "")
    assert BillingRun.objects.count() == 0


def test_the_service_refuses_a_year_before_2000() -> None:
    with pytest.raises(ValidationError, match="Choose a month between 2000-01 and 2100-12"):
        services.billing_run_request(period=dt.date(353, 1, 1), insurer=None, actor=None)
    assert BillingRun.objects.count() == 0


def test_start_page_runs_and_the_run_page_shows_results(
    client, access_world, billing_world, month_all_logged, django_capture_on_commit_callbacks
) -> None:
    client.force_login(access_world.back_office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("billing:run-start"), {"period": "2026-03"})
    run = BillingRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == run.get_absolute_url()
    page = client.get(run.get_absolute_url())
    content = page.content.decode()
    assert "No problems found." in content
    assert "Finalise March 2026" in content
    assert "1001" in content
    # the progress partial stops polling once done and asks for a reload
    progress = client.get(
        reverse("billing:run-progress", args=[run.public_id]) + "?was=working",
        headers={"HX-Request": "true"},
    )
    assert progress["HX-Refresh"] == "true"
    assert b"<html" not in progress.content
    # finalise from the page
    client.post(reverse("billing:run-finalise", args=[run.public_id]))
    run.refresh_from_db()
    assert run.status == RunStatus.FINALISED
    history = client.get(reverse("billing:run-list")).content.decode()
    assert str(access_world.back_office) in history


def test_progress_partial_polls_while_the_run_works(client, access_world, billing_world):
    run = BillingRun.objects.create(
        period=MARCH, status=RunStatus.RUNNING, stage="files", files_total=6, files_done=3
    )
    client.force_login(access_world.back_office)
    response = client.get(
        reverse("billing:run-progress", args=[run.public_id]), headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert 'hx-trigger="every 2s"' in content
    assert "files 3 of 6" in content
    assert "HX-Refresh" not in response


def test_api_start_status_preflight_and_finalise(
    client, access_world, billing_world, month_all_logged, django_capture_on_commit_callbacks
) -> None:
    client.force_login(access_world.back_office)
    url = reverse("api-billing-run-list")
    payload = {"period": "2026-03", "insurer_uzovi": "3311"}
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(url, payload, content_type="application/json")
    assert created.status_code == 201
    run_id = created.json()["id"]
    # starting a draft again re-queues the same run, never a second one
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, payload, content_type="application/json")
    assert again.json()["id"] == run_id
    assert BillingRun.objects.count() == 1
    detail = client.get(reverse("api-billing-run-detail", args=[run_id])).json()
    assert detail["status"] == "draft"
    assert detail["attempts"] == 2
    assert detail["total_amount"] == str(HAND_TOTALS["3311"])
    assert len(detail["files"]) == 3
    assert all(f["url"].startswith("http://testserver/api/billing/files/") for f in detail["files"])
    preflight = client.get(reverse("api-billing-run-preflight", args=[run_id])).json()
    assert preflight.pop("checked_at")  # made by the run itself, in the worker
    assert preflight == {"can_finalise": True, "problems": []}
    final = client.post(reverse("api-billing-run-finalise", args=[run_id]))
    assert final.status_code == 200
    assert final.json()["status"] == "finalised"
    assert final.json()["finalised_by"] == access_world.back_office.username
    refused = client.post(reverse("api-billing-run-finalise", args=[run_id]))
    assert refused.status_code == 400
    assert "already finalised" in refused.json()["non_field_errors"][0]


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"period": "2026-03", "insurer_uzovi": "9999"}, "uzovi", "No insurer has UZOVI code"),
        ({"period": "2099-01"}, "period", "has not ended yet"),
        ({"period": "2999-01"}, "period", "Choose a month between 2000-01 and 2100-12"),
        ({"period": "0353-01-01"}, "period", "Choose a month between 2000-01 and 2100-12"),
        ({"period": "March"}, "period", "Date has wrong format"),
    ],
)
def test_api_bad_input_is_a_400_with_a_clear_message(
    client, access_world, billing_world, payload, field, message
) -> None:
    client.force_login(access_world.back_office)
    response = client.post(
        reverse("api-billing-run-list"), payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert message in response.json()[field][0]
    assert BillingRun.objects.count() == 0


def test_tariff_form_refuses_zero_with_the_service_message(client, access_world, billing_world):
    from tests.factories import ContractFactory

    contract = ContractFactory(insurer=billing_world.zilveren, year=2027)
    client.force_login(access_world.back_office)
    response = client.post(
        contract.get_absolute_url(),
        {"service": billing_world.nursing.pk, "hourly_rate": "0", "valid_from": "2027-01-01"},
    )
    assert response.status_code == 200
    assert str(services.TARIFF_ZERO_OR_NEGATIVE) in response.content.decode()
    assert not contract.tariffs.exists()


@pytest.mark.parametrize("runs", [2, 12])
def test_run_list_has_a_flat_query_count(
    client, access_world, billing_world, django_assert_max_num_queries, runs
) -> None:
    for month in range(1, runs + 1):
        BillingRun.objects.create(
            period=dt.date(2024 + (month - 1) // 12, (month - 1) % 12 + 1, 1),
            requested_by=access_world.back_office,
        )
    client.force_login(access_world.back_office)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("billing:run-list"))
    assert response.status_code == 200


@pytest.mark.parametrize("years", [1, 4])
def test_contract_list_has_a_flat_query_count(
    client, access_world, billing_world, django_assert_max_num_queries, years
) -> None:
    from tests.factories import ContractFactory, TariffFactory

    for year in range(2020, 2020 + years):
        contract = ContractFactory(insurer=billing_world.zilveren, year=year)
        TariffFactory(contract=contract, service=billing_world.nursing)
    client.force_login(access_world.back_office)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("billing:contract-list"))
    assert response.status_code == 200


def test_run_page_shows_the_kept_check_and_checks_again_on_request(
    client, access_world, billing_world, month_all_logged, django_capture_on_commit_callbacks
) -> None:
    # given a draft whose check found Bram without a policy number
    from clients.models import Client

    Client.objects.filter(pk=billing_world.bram.pk).update(policy_number="")
    with django_capture_on_commit_callbacks(execute=True):
        run = services.billing_run_request(period=MARCH, insurer=None, actor=None).run
    client.force_login(access_world.back_office)
    page = client.get(reverse("billing:run-detail", args=[run.public_id]))
    assert "Bram Bakker has no policy number" in page.content.decode()
    assert "Check again" in page.content.decode()

    # when the back office fixes it, the page shows the kept list (no month-long re-read
    # on every view) until she asks for a fresh check
    Client.objects.filter(pk=billing_world.bram.pk).update(policy_number="P-42")
    assert "Bram Bakker has no" in client.get(run.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        asked = client.post(reverse("billing:run-check", args=[run.public_id]))
    assert asked.status_code == 302
    assert len(callbacks) == 1
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Pre-flight check started again" in page
    assert "Bram Bakker has no" not in page
    assert "No problems found." in page

    # and the API says the same, with when it was checked
    api = client.get(reverse("api-billing-run-preflight", args=[run.public_id])).json()
    assert api["problems"] == []
    assert api["can_finalise"] is True
    assert api["checked_at"]


def test_a_refused_finalise_keeps_the_fresh_list(
    client, access_world, billing_world, month_all_logged, django_capture_on_commit_callbacks
) -> None:
    from clients.models import Client

    with django_capture_on_commit_callbacks(execute=True):
        run = services.billing_run_request(period=MARCH, insurer=None, actor=None).run
    run.refresh_from_db()
    assert run.preflight == []
    # a problem appears after the draft was made: finalising checks afresh and refuses
    Client.objects.filter(pk=billing_world.anna.pk).update(policy_number="")
    blocked = str(services.FINALISE_BLOCKED).split(":")[0]
    with pytest.raises(ValidationError, match=re.escape(blocked)):
        services.billing_run_finalise(run=run, actor=access_world.back_office)
    run.refresh_from_db()
    assert run.status == "draft"
    assert [p["code"] for p in run.preflight] == ["missing_policy_number"]
