"""Posting a message on a phone (issue 18): the post shows at once and the box empties, a double
tap posts once, and a 300-character word or a long URL wraps inside the screen."""

import pytest
from playwright.sync_api import Page, expect

from coaching.models import Post
from tests.browser.conftest import PHONE, log_in, page_check
from tests.factories import PostFactory, TeamSpaceFactory, ThreadFactory, nursing_team

pytestmark = pytest.mark.django_db(transaction=True)

LONG_WORD = "a" * 300
LONG_URL = "https://example.org/" + "/".join(f"segment{i}" for i in range(40)) + "?q=" + "x" * 80


def test_a_reply_shows_at_once_clears_the_box_and_a_double_tap_posts_once(
    phone_page: Page,
) -> None:
    # given a nurse on her phone with her team's thread open
    team, (nurse, colleague) = nursing_team(2, name="Team Wrap")
    thread = ThreadFactory(space=TeamSpaceFactory(team=team), author=colleague, subject="Keys")
    PostFactory(thread=thread, author=colleague, body="Who has the key of Mrs Bakker?")
    log_in(phone_page, nurse.username)
    phone_page.goto(thread.get_absolute_url())
    box = phone_page.get_by_label("Message")

    # when she posts a reply with a double tap
    box.fill("I have it, in the blue box.")
    phone_page.get_by_role("button", name="Post reply").dblclick()

    # then the reply is on the page well before the next poll (4 s), once, and the box is empty
    reply = phone_page.locator("article.post", has_text="I have it, in the blue box.")
    expect(reply).to_have_count(1, timeout=2_000)
    expect(box).to_have_value("")
    phone_page.wait_for_timeout(4_500)  # one poll later it is still there once
    expect(reply).to_have_count(1)
    assert Post.objects.filter(thread=thread, body="I have it, in the blue box.").count() == 1

    # when she posts a 300-character word and a long URL
    box.fill(f"{LONG_WORD}\n{LONG_URL}")
    phone_page.get_by_role("button", name="Post reply").tap()
    expect(phone_page.locator("article.post", has_text=LONG_WORD[:50])).to_have_count(1)

    # then nothing is wider than the screen
    width = phone_page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    post_box = phone_page.locator("article.post", has_text=LONG_WORD[:50]).bounding_box()
    assert post_box is not None
    assert post_box["x"] + post_box["width"] <= PHONE["width"]
    page_check(phone_page, "nurse-thread-long-word-phone", keyboard=False)


def test_a_refused_reply_keeps_what_was_typed(phone_page: Page) -> None:
    team, (nurse,) = nursing_team(1, name="Team Wrap")
    thread = ThreadFactory(space=TeamSpaceFactory(team=team), author=nurse, subject="Keys")
    PostFactory(thread=thread, author=nurse, body="First.")
    log_in(phone_page, nurse.username)
    phone_page.goto(thread.get_absolute_url())

    # an empty reply is refused at the field
    phone_page.get_by_label("Message").fill("   ")
    phone_page.get_by_role("button", name="Post reply").tap()
    expect(phone_page.locator("#reply-form .error, #reply-form .errors").first).to_be_visible()
    assert Post.objects.filter(thread=thread).count() == 1
