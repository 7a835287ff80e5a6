"""Back office runs last month's billing (start, follow, download, pre-flight, finalise) and
makes an outcome report for the organisation, all in Chromium."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from scheduling.billing.models import BillingRun
from scheduling.models import Visit
from tests.browser.conftest import log_in, page_check
from tests.factories import (
    BackOfficeFactory,
    CareIndicationFactory,
    CareServiceFactory,
    ClientFactory,
    ContractFactory,
    InsurerFactory,
    OrganisationFactory,
    TariffFactory,
    billed_visit,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_back_office_runs_billing_and_downloads_csv_and_pdf(page: Page) -> None:
    # given last month's logged visits for clients of two insurers, with contracts and tariffs,
    # an organisation AGB and a service code from the district-nursing code list (without them
    # the truthful pre-flight lists notes instead of "No problems found.")
    OrganisationFactory()
    today = timezone.localdate()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    service = CareServiceFactory(code="1000", name="Personal care", is_billable=True)
    for uzovi, name in [("3311", "Zilveren Kruis"), ("7029", "VGZ")]:
        insurer = InsurerFactory(uzovi=uzovi, name=name)
        contract = ContractFactory(insurer=insurer, year=last_month.year)
        TariffFactory(contract=contract, service=service)
        client_record = ClientFactory(insurer=insurer)
        CareIndicationFactory(client=client_record, valid_from=last_month, valid_until=None)
        for day in (3, 10, 17):
            billed_visit(client_record, last_month.replace(day=day), {service: 45})
    back_office = BackOfficeFactory(username="bo-bram", first_name="Bram")

    # when she logs in she starts on the billing page
    log_in(page, back_office.username)
    expect(page.get_by_role("heading", name="Billing", exact=True)).to_be_visible()
    page_check(page, "back-office-billing")

    # and starts a run for last month, all insurers
    page.get_by_label("Month").fill(last_month.strftime("%Y-%m"))
    page.get_by_role("button", name="Start run").click()

    # then the run page shows its progress until it is a draft with six visits covered
    # (Celery runs eagerly in the test settings, so the run is done when the page opens)
    progress = page.locator("#run-progress")
    expect(progress).to_contain_text("Draft", timeout=20_000)
    expect(progress).to_contain_text("Visits covered")
    run = BillingRun.objects.get(period=last_month, insurer=None)
    assert run.visit_count == 6
    page_check(page, "back-office-billing-run")

    # and she downloads the CSV and the PDF invoice
    for kind, magic in [("CSV", None), ("PDF invoice", b"%PDF")]:
        with page.expect_download() as download_info:
            page.get_by_role("link", name=f"{kind}:").first.click()
        download = download_info.value
        path = download.path()
        content = open(path, "rb").read()  # noqa: PTH123
        assert content, f"empty {kind} download"
        if magic:
            assert content.startswith(magic)
        else:
            assert download.suggested_filename.endswith(".csv")
            assert b";" in content or b"," in content

    # she reads the pre-flight check (clean) and finalises the month: the period closes
    expect(page.locator("#preflight")).to_contain_text("No problems found.")
    page.get_by_role("button", name=f"Finalise {last_month:%B %Y}").click()
    expect(page.locator("#run-progress")).to_contain_text("Finalised")
    run.refresh_from_db()
    assert run.status == "finalised"
    assert Visit.objects.filter(status="done", billed_at__isnull=True).count() == 0

    # then she makes an outcome report for the whole organisation and downloads it
    page.get_by_role("link", name="Reports", exact=True).click()
    page.get_by_label("Report for").select_option("organisation")
    page.get_by_label("From").fill(last_month.isoformat())
    page.get_by_label("Until").fill((today.replace(day=1) - dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Make report").click()
    expect(page.get_by_role("link", name="Download PDF")).to_be_visible(timeout=20_000)
    page_check(page, "back-office-outcome-report")
    for link, magic in [("Download PDF", b"%PDF"), ("Download CSV", None)]:
        with page.expect_download() as download_info:
            page.get_by_role("link", name=link).click()
        content = open(download_info.value.path(), "rb").read()  # noqa: PTH123
        assert content.startswith(magic) if magic else content.count(b"\n") > 1
