"""Drafts (static/js/drafts.js): a session that times out mid-form loses nothing. The nurse
types a report, her session expires (the session cookie is gone), she logs in again and is
sent back to the form with her text; once saved, no draft stays in localStorage, and logging
out clears every draft."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page, expect

from scheduling.carenotes.models import CareReport
from tests.browser.conftest import PASSWORD, log_in
from tests.factories import ClientFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = "Mevrouw was verward; ogen rood, huisarts gebeld om 10:15."
DRAFT_KEYS = "() => Object.keys(localStorage).filter(k => k.startsWith('bz-draft'))"


def test_a_report_typed_before_the_session_expired_is_back_after_login(
    phone_page: Page,
) -> None:
    # given a nurse writing a report for her client
    membership = MembershipFactory(nurse__username="noor")
    client_record = ClientFactory(team=membership.team)
    url = reverse("carenotes:report-create", args=[client_record.public_id])
    log_in(phone_page, "noor")
    phone_page.goto(url)
    phone_page.get_by_label("Report", exact=True).fill(TEXT)
    assert phone_page.evaluate(DRAFT_KEYS)
    # when her session expires and the next page sends her to the login form
    phone_page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    phone_page.goto(url)
    expect(phone_page).to_have_url(re.compile(r"/accounts/login/"))
    phone_page.get_by_label("Username").fill("noor")
    phone_page.get_by_label("Password").fill(PASSWORD)
    with phone_page.expect_navigation():
        phone_page.get_by_label("Password").press("Enter")
    # then she is back on the form with her text
    assert phone_page.url.endswith(url)
    expect(phone_page.get_by_label("Report", exact=True)).to_have_value(TEXT)
    # and once the report is saved no draft is left on the phone
    phone_page.get_by_role("button", name="Save report").click()
    expect(phone_page.get_by_text("Report saved.")).to_be_visible()
    assert CareReport.objects.filter(text=TEXT).count() == 1
    # (drafts.js clears it when the next page has loaded its scripts, just after the text shows)
    phone_page.wait_for_function(f"() => ({DRAFT_KEYS})().length === 0", timeout=5_000)
    assert phone_page.evaluate(DRAFT_KEYS) == []


def test_logging_out_clears_every_draft(page: Page) -> None:
    membership = MembershipFactory(nurse__username="eva")
    client_record = ClientFactory(team=membership.team)
    log_in(page, "eva")
    page.goto(reverse("carenotes:report-create", args=[client_record.public_id]))
    page.get_by_label("Report", exact=True).fill(TEXT)
    assert page.evaluate(DRAFT_KEYS)
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").first.click()
    assert page.evaluate(DRAFT_KEYS) == []
