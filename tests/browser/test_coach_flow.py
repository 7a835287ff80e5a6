"""A coach reads her dashboard and answers a nurse's question; the nurse sees it without reload."""

import pytest
from playwright.sync_api import Browser, Page, expect

from coaching.models import Post
from tests.browser.conftest import DESKTOP, PHONE, log_in, page_check
from tests.factories import (
    CoachAssignmentFactory,
    CoachFactory,
    MembershipFactory,
    PostFactory,
    TeamSpaceFactory,
    ThreadFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

REPLY = "Try a weekly pill organiser and ask the pharmacy for a rolled blister."


def test_coach_answers_a_question_and_the_nurse_sees_it_live(
    page: Page, browser: Browser, live_server: object
) -> None:
    # given a team with a nurse, its coach and an open question in the team's space
    membership = MembershipFactory(team__name="Team Oost", nurse__first_name="Noor")
    nurse, team = membership.nurse, membership.team
    coach = CoachFactory(username="carla", first_name="Carla", last_name="Coach")
    CoachAssignmentFactory(coach=coach, team=team)
    space = TeamSpaceFactory(team=team)
    thread = ThreadFactory(
        space=space, author=nurse, subject="Forgotten pills at night?", is_question=True
    )
    PostFactory(thread=thread, author=nurse, body="Mrs Bakker forgets her evening pills.")

    # and the nurse has the thread open on her phone
    nurse_context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    nurse_context.set_default_timeout(10_000)
    nurse_page = nurse_context.new_page()
    log_in(nurse_page, nurse.username)
    nurse_page.goto(thread.get_absolute_url())
    expect(nurse_page.get_by_text("Mrs Bakker forgets her evening pills.")).to_be_visible()
    page_check(nurse_page, "nurse-thread-phone")

    # when the coach logs in she starts on her dashboard with the team on it
    log_in(page, coach.username)
    expect(page.get_by_role("heading", name="Your teams")).to_be_visible()
    expect(page.get_by_role("link", name="Team Oost").first).to_be_visible()
    page_check(page, "coach-dashboard")

    # and she opens the team's messages and the question, and answers it
    page.get_by_role("link", name="Messages", exact=True).last.click()
    page.get_by_role("link", name="Forgotten pills at night?").click()
    expect(page.get_by_role("heading", name="Forgotten pills at night?")).to_be_visible()
    page_check(page, "coach-thread")
    page.get_by_label("Message").fill(REPLY)
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_text(REPLY)).to_be_visible()
    assert Post.objects.filter(thread=thread, author=coach, body=REPLY).exists()

    # then the nurse's open page shows the reply without a reload (htmx polling)
    url_before = nurse_page.url
    expect(nurse_page.get_by_text(REPLY)).to_be_visible(timeout=15_000)
    assert nurse_page.url == url_before
    page_check(nurse_page, "nurse-thread-with-reply-phone", keyboard=False)
    nurse_context.close()
    page.set_viewport_size(DESKTOP)
