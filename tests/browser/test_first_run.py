"""First run in a real browser (issue 21, item 2): the first administrator, made by
createsuperuser, lands on the set-up checklist and sees it tick off as she works."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, log_in, page_check

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-unguessable-phrase"


def test_first_administrator_starts_on_the_checklist_and_it_ticks_off(
    phone_page: Page, monkeypatch, settings
) -> None:
    # given a fresh install: only the first superuser, made as the README says
    settings.ORGANISATION_NAME, settings.ORGANISATION_AGB = "", "00000000"
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", "--noinput", username="eerste", email="e@example.org")
    page = phone_page

    # when she logs in on her phone
    log_in(page, "eerste", PASSWORD)

    # then her first page is the checklist, nothing ticked, readable at 390 px
    expect(page.get_by_role("heading", name="Set-up checklist")).to_be_visible()
    expect(page.get_by_text("0 of 6 steps done")).to_be_visible()
    items = page.locator("ol.setup-checklist > li")
    expect(items).to_have_count(6)
    expect(page.locator("#setup-insurers .pill")).to_have_text("To do")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    page_check(page, "admin-setup-checklist-phone")
    # insurers and care services have pages of their own (not the Django admin)
    expect(page.locator("#setup-insurers").get_by_role("link")).to_have_attribute(
        "href", "/billing/insurers/"
    )

    # the neighbourhood item links to the page that does it; she makes one there
    page.locator("#setup-neighbourhood").get_by_role("link", name=re.compile("Do this now")).click()
    page.get_by_label("Name").fill("Kralingen-Oost")
    page.get_by_label("Postcode areas").fill("3062")
    page.get_by_label("Population estimate").fill("8200")
    page.get_by_label("Population estimate").press("Enter")
    expect(page.get_by_text("Neighbourhood Kralingen-Oost saved.")).to_be_visible()

    # she registers the first insurer on its page, from the checklist
    page.get_by_role("navigation", name="Quick menu").get_by_role("link", name="Set-up").click()
    page.locator("#setup-insurers").get_by_role("link", name=re.compile("Do this now")).click()
    page.get_by_role("link", name="New insurer").click()
    page.get_by_label("Name").fill("Zorgverzekeraar Een")
    page.get_by_label("UZOVI code").fill("33")
    page.get_by_label("UZOVI code").press("Enter")
    expect(page.get_by_text("A UZOVI code is 4 digits.")).to_be_visible()
    page.get_by_label("UZOVI code").fill("3311")
    page.get_by_label("UZOVI code").press("Enter")
    expect(page.get_by_text("Insurer Zorgverzekeraar Een (3311) saved.")).to_be_visible()

    # back on the checklist, both are ticked off, from the data alone
    page.get_by_role("navigation", name="Quick menu").get_by_role("link", name="Set-up").click()
    expect(page.locator("#setup-neighbourhood .pill")).to_have_text("Done")
    expect(page.locator("#setup-insurers .pill")).to_have_text("Done")
    expect(page.locator("#setup-team .pill")).to_have_text("To do")
    expect(page.get_by_text("2 of 6 steps done")).to_be_visible()
