"""A nurse on her phone (390x844) runs her day: My day, start a visit, log it, rate an outcome."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from clients.models import OutcomeRating
from scheduling.models import Visit, VisitStatus
from tests.browser.conftest import log_in, page_check
from tests.factories import (
    ClientFactory,
    ClientProblemFactory,
    InterventionFactory,
    MembershipFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_nurse_runs_her_day_on_a_phone(phone_page: Page) -> None:
    # given a nurse with two visits today, one to a client with pain on her care plan
    membership = MembershipFactory(nurse__username="noor", nurse__first_name="Noor")
    nurse, team = membership.nurse, membership.team
    today = timezone.localdate()
    client_record = ClientFactory(team=team, first_name="Jan", last_name="de Vries")
    pain = ClientProblemFactory(client=client_record)
    InterventionFactory(client_problem=pain)
    # early today, so both are in the past whenever the suite runs (a log is for what happened)
    visit = VisitFactory(client=client_record, nurse=nurse, day=today, at=dt.time(0, 5))
    VisitFactory(
        client=ClientFactory(team=team, first_name="Mien", last_name="Bakker"),
        nurse=nurse,
        day=today,
        at=dt.time(0, 45),
    )

    # when she logs in she lands on My day with both visits, readable at 390 px
    log_in(phone_page, nurse.username)
    expect(phone_page.get_by_role("heading", name="Today")).to_be_visible()
    card = phone_page.locator(f"#visit-{visit.public_id}")
    expect(card).to_contain_text("Jan de Vries")
    expect(phone_page.locator("article.visit")).to_have_count(2)
    width = phone_page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"My day scrolls sideways at 390 px ({width} px wide)"
    page_check(phone_page, "nurse-my-day-phone")

    # and starts the first visit: the card changes in place
    card.get_by_role("button", name="Start").click()
    expect(card.locator(".pill")).to_have_text("In progress")
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.IN_PROGRESS

    # and logs it with an outcome rating for the pain problem
    card.get_by_role("link", name="Other…").click()
    expect(phone_page.get_by_role("heading", name="Log visit · Jan de Vries")).to_be_visible()
    page_check(phone_page, "nurse-visit-log-phone")
    expect(phone_page.get_by_role("radio", name=f"{visit.planned_minutes} min")).to_be_checked()
    phone_page.get_by_label("Short note").fill("Pain lower after the new routine.")
    phone_page.get_by_role("radiogroup", name="Pain: Knowledge").get_by_role("radio").nth(2).check()
    phone_page.get_by_role("radiogroup", name="Pain: Behaviour").get_by_role("radio").nth(3).check()
    phone_page.get_by_role("radiogroup", name="Pain: Status").get_by_role("radio").nth(3).check()
    phone_page.get_by_role("button", name="Save", exact=True).click()

    # then she is back on My day, the visit is done and the rating is on the record
    expect(phone_page.get_by_text("Visit to Jan de Vries logged.")).to_be_visible()
    expect(phone_page.locator(f"#visit-{visit.public_id} .pill")).to_have_text("Done")
    logged = Visit.objects.get(pk=visit.pk)
    assert logged.status == VisitStatus.DONE
    assert logged.logged_minutes == visit.planned_minutes
    rating = OutcomeRating.objects.get(client_problem=pain)
    assert (rating.knowledge, rating.behavior, rating.status) == (3, 4, 4)
    assert rating.rated_by == nurse
    page_check(phone_page, "nurse-my-day-after-logging")

    # when she taps "Done as planned" on the second visit, the heading counts it at once
    expect(phone_page.locator("#done-count")).to_have_text("1/2 done")
    second = phone_page.locator("article.visit", has_text="Mien Bakker")
    second.get_by_role("button", name="Done as planned").click()
    expect(second.locator(".pill")).to_have_text("Done")
    expect(phone_page.locator("#done-count")).to_have_text("2/2 done")
    assert Visit.objects.filter(nurse=nurse, status=VisitStatus.DONE).count() == 2
