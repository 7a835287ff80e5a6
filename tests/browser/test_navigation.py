"""The main menu on a nurse's phone: one sideways-scrolling row that shows where she is."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, log_in, page_check, unreachable_by_keyboard
from tests.factories import nursing_team

pytestmark = pytest.mark.django_db(transaction=True)


def test_phone_menu_is_one_scrolling_row_with_the_current_page_in_view(phone_page: Page) -> None:
    team, (nurse,) = nursing_team(1, name="Team Menu")
    log_in(phone_page, nurse.username)

    # the last menu entry of a nurse's menu before her messages: the row must scroll to it
    phone_page.goto(reverse("teams:team-list"))
    nav = phone_page.locator("nav.nav")
    current = nav.locator('a[aria-current="page"]')
    expect(current).to_have_count(1)
    expect(current).to_have_text("My team")

    # one row: the menu is no taller than one link, and wider than the screen (it scrolls)
    sizes = nav.evaluate(
        "n => ({row: n.getBoundingClientRect().height, link: n.querySelector('a').offsetHeight,"
        " scroll: n.scrollWidth, width: n.clientWidth, page: document.documentElement.scrollWidth})"
    )
    assert sizes["row"] < 2 * sizes["link"]
    assert sizes["scroll"] > sizes["width"]
    # the page itself does not scroll sideways: only the menu does
    assert sizes["page"] <= PHONE["width"]
    # and the current link was scrolled into view, inside the menu's visible strip
    box, strip = current.bounding_box(), nav.bounding_box()
    assert box is not None
    assert strip is not None
    assert strip["x"] <= box["x"]
    assert box["x"] + box["width"] <= strip["x"] + strip["width"]
    # (the keyboard walk below scrolls the menu as focus moves: screenshot first)
    page_check(phone_page, "phone-menu-my-team", keyboard=False)
    assert unreachable_by_keyboard(phone_page) == []

    # a deeper page marks its section: a team page is under "My team"
    phone_page.goto(reverse("teams:team-detail", args=[team.public_id]))
    expect(nav.locator('a[aria-current="page"]')).to_have_text("My team")
