"""A nurse on her phone (390x844) writes her reports at the visit, rates a problem in four
taps, then a colleague reads the handover and marks it read, and the timeline shows it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from clients.models import OutcomeRating
from scheduling.carenotes.models import CareReport, HandoverRead
from tests.browser.conftest import log_in, page_check
from tests.factories import (
    ClientFactory,
    ClientProblemFactory,
    MembershipFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_report_and_rating_at_the_visit_then_the_handover_on_a_phone(
    phone_page: Page, browser, live_server
) -> None:
    # given a nurse with a visit today to a client with pain, and a colleague in her team
    membership = MembershipFactory(nurse__username="noor", nurse__first_name="Noor")
    nurse, team = membership.nurse, membership.team
    colleague = MembershipFactory(team=team, seat=2, nurse__username="sanne").nurse
    client_record = ClientFactory(team=team, first_name="Jan", last_name="de Vries")
    pain = ClientProblemFactory(client=client_record)
    visit = VisitFactory(
        client=client_record, nurse=nurse, day=timezone.localdate(), at=dt.time(0, 5)
    )
    log_in(phone_page, nurse.username)
    phone_page.goto(reverse("scheduling:visit-log", args=[visit.public_id]))
    # page_check's keyboard walk counts a radio group as one Tab stop; arrows choose in it.
    page_check(phone_page, "nurse-visit-reports-phone")
    phone_page.locator(f"#text-{pain.public_id}").focus()
    phone_page.keyboard.press("Tab")
    phone_page.keyboard.press("Tab")
    focused = phone_page.evaluate("() => document.activeElement.id")
    assert focused == f"knowledge-{pain.public_id}-1"
    phone_page.keyboard.press("ArrowRight")
    assert phone_page.locator(f"#knowledge-{pain.public_id}-2").is_checked()
    phone_page.locator(f"#knowledge-{pain.public_id}-2").evaluate("el => el.checked = false")
    width = phone_page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390

    # when she rates the pain problem from the visit page: K, B, S and the button
    taps = 0
    form = phone_page.locator("#visit-reports form").first
    for part, score in (("knowledge", 3), ("behavior", 4), ("status", 4)):
        form.locator(f"#{part}-{pain.public_id}-{score}").tap()
        taps += 1
    form.get_by_role("textbox", name="Report").fill("Pain 3/10 after the new routine.")
    form.get_by_label("For handover").tap()
    with phone_page.expect_navigation():
        form.get_by_role("button", name="Add report on Pain").tap()
    # (the report's two taps, the textarea's and the handover box's, come on top of the
    # rating's four; a rating alone is three radios and the button)
    taps += 1

    # then the rating and the report are stored and she is back on the visit page
    assert taps <= 4
    expect(phone_page.get_by_text("Report saved.")).to_be_visible()
    rating = OutcomeRating.objects.get(client_problem=pain)
    assert (rating.knowledge, rating.behavior, rating.status) == (3, 4, 4)
    report = CareReport.objects.get()
    assert (report.visit_id, report.for_handover) == (visit.pk, True)

    # and a general note with an empty text is refused at the field, nothing stored
    general = phone_page.locator("#visit-reports form").last
    general.get_by_role("button", name="Add general note").tap()
    expect(phone_page.get_by_text("an empty report is not stored")).to_be_visible()
    assert CareReport.objects.count() == 1

    # when her colleague opens the handover on her phone
    ctx = browser.new_context(
        viewport={"width": 390, "height": 844},
        base_url=live_server.url,
        is_mobile=True,
        has_touch=True,
        locale="en-GB",
    )
    other = ctx.new_page()
    log_in(other, colleague.username)
    other.goto(reverse("carenotes:handover"))
    expect(other.get_by_text("Pain 3/10 after the new routine.")).to_be_visible()
    page_check(other, "nurse-handover-phone")
    item = other.locator("article", has_text="Pain 3/10 after the new routine.")
    item.get_by_role("button", name="Mark read").tap()
    expect(item.get_by_text("Read", exact=True)).to_be_visible()
    assert HandoverRead.objects.filter(nurse=colleague).count() == 1

    # and the client's timeline shows the report, newest first
    other.goto(reverse("carenotes:timeline", args=[client_record.public_id]))
    expect(other.get_by_text("Pain 3/10 after the new routine.")).to_be_visible()
    page_check(other, "nurse-timeline-phone")
    ctx.close()
