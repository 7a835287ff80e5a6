"""Incidents in real Chromium: a nurse files a fall about her client on her phone without her
name shown, a colleague records an action and closes it from the team's list, and the coach
sees the team's count (and no client details) on her trends page."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from coaching.incidents.models import Incident
from tests.browser.conftest import PHONE, log_in, page_check
from tests.factories import (
    ClientFactory,
    CoachAssignmentFactory,
    CoachFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

WHAT = "Found on the bathroom floor at 08:10, no injury; walker was out of reach."


def _phone(browser: Browser, live_server: object) -> Page:
    ctx = browser.new_context(
        viewport=PHONE, base_url=live_server.url, is_mobile=True, has_touch=True, locale="en-GB"
    )
    ctx.set_default_timeout(10_000)
    return ctx.new_page()


def test_a_fall_filed_on_a_phone_reviewed_by_the_team_and_counted_for_the_coach(
    phone_page: Page, browser: Browser, live_server: object
) -> None:
    # given a team of two nurses with a client, and its coach
    membership = MembershipFactory(nurse__username="noor", team__name="Team Oost")
    nurse, team = membership.nurse, membership.team
    colleague = MembershipFactory(team=team, seat=2, nurse__username="sanne").nurse
    ClientFactory(team=team, first_name="Jan", last_name="Bakker")
    coach = CoachFactory(username="carla")
    CoachAssignmentFactory(coach=coach, team=team)

    # when the nurse files a fall on her phone: first with no text (refused at the field,
    # her choices kept, nothing stored), then with what happened, her name not shown
    log_in(phone_page, nurse.username)
    phone_page.goto(reverse("incidents:create"))
    page_check(phone_page, "nurse-incident-form-phone")
    phone_page.get_by_label("Kind").select_option("fall")
    phone_page.get_by_label("Date of the incident").fill(timezone.localdate().isoformat())
    phone_page.get_by_label("Client (optional)").select_option(label="Jan Bakker")
    phone_page.get_by_label("Show my name to the team").uncheck()
    with phone_page.expect_navigation():
        phone_page.get_by_role("button", name="File the report").tap()
    assert not Incident.objects.exists()
    assert phone_page.get_by_label("Kind").input_value() == "fall"
    assert not phone_page.get_by_label("Show my name to the team").is_checked()
    phone_page.get_by_label("What happened").fill(WHAT)
    with phone_page.expect_navigation():
        phone_page.get_by_role("button", name="File the report").tap()
    width = phone_page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"]

    # then it is stored for the team, about the client, anonymous to the team
    incident = Incident.objects.get()
    assert (incident.team_id, incident.kind, incident.show_author) == (team.pk, "fall", False)
    assert incident.client.last_name == "Bakker"

    # when a colleague opens the team's list on her phone, records an action and closes it
    other = _phone(browser, live_server)
    log_in(other, colleague.username)
    other.goto(reverse("incidents:list"))
    page_check(other, "nurse-incident-list-phone")
    with other.expect_navigation():
        other.get_by_role("link", name="Fall").first.tap()
    expect(other.get_by_text(WHAT)).to_be_visible()
    expect(other.get_by_text("a colleague (name not shown)")).to_be_visible()
    assert "noor" not in other.content().lower()
    other.get_by_label("Action taken or agreed").fill("Walker placed by the bed; daughter told.")
    with other.expect_navigation():
        other.get_by_role("button", name="Record action").tap()
    expect(other.get_by_text("Walker placed by the bed; daughter told.")).to_be_visible()
    with other.expect_navigation():
        other.get_by_role("button", name="Close the incident").tap()
    # (a confirmation step for this irreversible action, where there is one)
    confirm = other.get_by_role("button", name="Close the incident")
    if confirm.count():
        with other.expect_navigation():
            confirm.first.tap()
    incident.refresh_from_db()
    assert incident.status == "closed"
    assert incident.actions.count() == 1
    other.context.close()

    # and the coach sees the team's count on her trends page, without the client or the text
    coach_page = _phone(browser, live_server)
    log_in(coach_page, coach.username)
    coach_page.goto(reverse("incidents:trends"))
    page_check(coach_page, "coach-incident-trends-phone")
    section = coach_page.locator("section.card", has_text="Team Oost")
    expect(section).to_contain_text("Fall: 1")
    assert "Bakker" not in coach_page.content()
    assert "bathroom" not in coach_page.content()
    coach_page.context.close()
