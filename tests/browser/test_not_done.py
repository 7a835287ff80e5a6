"""A nurse on her phone records a visit as not done (the client was not home): from My day
through the visit's log page, the reason as a chip, back on My day with the reason shown."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from scheduling.models import Visit, VisitStatus
from tests.browser.conftest import log_in, page_check
from tests.factories import ClientFactory, MembershipFactory, VisitFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_nurse_records_a_visit_as_not_done_on_her_phone(phone_page: Page) -> None:
    # given a nurse with a visit early today (so it has begun whenever the suite runs)
    membership = MembershipFactory(nurse__first_name="Noor")
    nurse = membership.nurse
    client_record = ClientFactory(team=membership.team, first_name="Jan", last_name="de Vries")
    visit = VisitFactory(
        client=client_record, nurse=nurse, day=timezone.localdate(), at=dt.time(0, 5)
    )
    log_in(phone_page, nurse.username)
    card = phone_page.locator(f"#visit-{visit.public_id}")

    # when she opens the visit's log page and says it was not done
    card.get_by_role("link", name="Other…").click()
    phone_page.get_by_role(
        "link", name="Not done? Client not home, refused care or in hospital"
    ).click()
    expect(phone_page.get_by_role("heading", name="Visit not done · Jan de Vries")).to_be_visible()
    width = phone_page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at 390 px ({width} px wide)"
    page_check(phone_page, "nurse-visit-not-done-phone")
    phone_page.get_by_role("radio", name="Client not home").check()
    phone_page.get_by_label("In your own words").fill("Buren zagen haar gisteren nog")
    phone_page.get_by_role("button", name="Record as not done").click()

    # then she is back on My day, where the visit shows as not done with the reason
    expect(phone_page.get_by_text("Visit to Jan de Vries recorded as not done.")).to_be_visible()
    expect(card.locator(".pill")).to_have_text("Not done")
    expect(card).to_contain_text("Not done: Client not home (Buren zagen haar gisteren nog)")
    stored = Visit.objects.get(pk=visit.pk)
    assert (stored.status, stored.not_done_reason) == (VisitStatus.NOT_DONE, "not_home")
    assert stored.logged_minutes is None
