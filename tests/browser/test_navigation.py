"""The main menu: on a phone (320-430 px) a bar fixed at the bottom, in reach of the thumb, with
My day, Clients, Messages (and its unread badge), Team and More; on a desktop the top bar."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP, PHONE, log_in, page_check, unreachable_by_keyboard
from tests.factories import (
    AdminFactory,
    BackOfficeFactory,
    CoachAssignmentFactory,
    CoachFactory,
    PostFactory,
    TeamSpaceFactory,
    ThreadFactory,
    nursing_team,
)

pytestmark = pytest.mark.django_db(transaction=True)

PHONE_WIDTHS = (320, 390, 430)
TABS = [re.compile(rf"{name}$") for name in ("My day", "Clients", "Messages3", "Team", "More")]
MIN_TARGET = 44  # px, WCAG 2.5.5 and the "at least 44 x 44"

# Every element of the page that sticks out of the viewport sideways, or is cut by the edge.
OUTSIDE_VIEWPORT = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.sr-only, .skip-link, [hidden], details:not([open]) > :not(summary)')) continue;
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    if (box.left < -0.5 || box.right > width + 0.5) out.push(el.outerHTML.slice(0, 100));
  }
  return out;
}"""

# Clickable elements of the bottom bar smaller than the minimum target.
SMALL_TARGETS = """([selector, min]) => [...document.querySelectorAll(selector)]
  .filter(el => el.getClientRects().length)
  .map(el => [el.textContent.trim().replace(/\\s+/g, ' '), el.getBoundingClientRect()])
  .filter(([, box]) => box.width < min || box.height < min)
  .map(([text, box]) => `${text}: ${Math.round(box.width)}x${Math.round(box.height)}`)"""


def _phone(browser: Browser, base_url: str, width: int) -> Page:
    context = browser.new_context(
        viewport={"width": width, "height": PHONE["height"]},
        base_url=base_url,
        is_mobile=True,
        has_touch=True,
        locale="en-GB",
    )
    context.set_default_timeout(10_000)
    return context.new_page()


def test_phone_has_a_bottom_bar_that_fits_every_width_from_320_to_430(
    browser: Browser, live_server: object
) -> None:
    team, (nurse, colleague) = nursing_team(2, name="Team Menu")
    thread = ThreadFactory(space=TeamSpaceFactory(team=team), author=colleague)
    PostFactory.create_batch(3, thread=thread, author=colleague)

    for width in PHONE_WIDTHS:
        page = _phone(browser, live_server.url, width)  # type: ignore[attr-defined]
        log_in(page, nurse.username)
        for url in (
            reverse("scheduling:my-day"),
            reverse("clients:client-list"),
            reverse("coaching:space-list"),
            reverse("teams:team-list"),
        ):
            page.goto(url)
            bar = page.locator("nav.tabbar")
            expect(bar).to_be_visible()
            # the top menu is gone: each link is on the page once
            expect(page.locator("header nav.nav")).to_be_hidden()
            tabs = bar.locator(":scope > ul > li > a, summary")
            expect(tabs).to_have_text(TABS)
            expect(bar.locator(".badge")).to_have_text("3")
            # the bar sits at the bottom edge, inside the screen, every target thumb-sized
            box = bar.bounding_box()
            assert box is not None
            assert abs(box["y"] + box["height"] - PHONE["height"]) < 1
            for i in range(tabs.count()):
                tab = tabs.nth(i).bounding_box()
                assert tab is not None
                assert tab["width"] >= MIN_TARGET, (width, i, tab)
                assert tab["height"] >= MIN_TARGET, (width, i, tab)
                assert tab["x"] >= 0, (width, i, tab)
                assert tab["x"] + tab["width"] <= width + 0.5, (width, i, tab)
            # nothing on the page is cut by the screen's edge or makes it scroll sideways
            assert page.evaluate(OUTSIDE_VIEWPORT) == [], (width, url)
            assert page.evaluate("() => document.documentElement.scrollWidth") <= width
            # the page's last line is not hidden behind the bar
            page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
            footer = page.locator("footer.footer").bounding_box()
            bar_box = bar.bounding_box()
            assert footer is not None
            assert bar_box is not None
            assert footer["y"] + footer["height"] <= bar_box["y"] + 0.5, (width, url)

        # the current place is marked
        expect(page.locator('nav.tabbar a[aria-current="page"]')).to_have_text(re.compile("Team$"))

        # More opens a panel with the rest, every entry thumb-sized and on screen
        page.locator("nav.tabbar summary").tap()
        panel = page.locator(".tab-more-panel")
        expect(panel).to_be_visible()
        expect(panel.get_by_role("link", name="Planning")).to_be_visible()
        # every page of the (hidden) top menu is reachable: handover and incidents too
        expect(panel.get_by_role("link", name="Handover")).to_be_visible()
        expect(panel.get_by_role("link", name="Incidents")).to_be_visible()
        expect(panel.get_by_role("button", name="Log out")).to_be_visible()
        targets = ".tabbar a, .tabbar summary, .tabbar button"
        assert page.evaluate(SMALL_TARGETS, [targets, MIN_TARGET]) == []
        assert page.evaluate(OUTSIDE_VIEWPORT) == [], width
        if width == PHONE["width"]:
            page_check(page, "phone-bottom-bar-more", keyboard=False)
            # (after a tap Chromium starts Tab from the tapped element: check on a fresh page)
            page.reload()
            assert unreachable_by_keyboard(page) == []
        page.context.close()


def test_messages_are_two_taps_from_any_page(phone_page: Page) -> None:
    team, (nurse, colleague) = nursing_team(2, name="Team Menu")
    thread = ThreadFactory(space=TeamSpaceFactory(team=team), author=colleague, subject="Keys")
    PostFactory(thread=thread, author=colleague, body="Where is the key of Mrs Bakker?")
    log_in(phone_page, nurse.username)
    phone_page.goto(reverse("clients:client-list"))

    phone_page.locator("nav.tabbar").get_by_role("link", name="Messages").tap()
    phone_page.get_by_role("link", name="Team Menu").first.tap()
    expect(phone_page.get_by_role("link", name="Keys")).to_be_visible()


def test_desktop_keeps_the_top_bar(page: Page) -> None:
    team, (nurse,) = nursing_team(1, name="Team Menu")
    page.set_viewport_size(DESKTOP)
    log_in(page, nurse.username)
    page.goto(reverse("teams:team-list"))

    expect(page.locator("nav.tabbar")).to_be_hidden()
    nav = page.locator("header nav.nav")
    expect(nav.get_by_role("link", name="Messages")).to_be_visible()
    expect(nav.get_by_role("button", name="Log out")).to_be_visible()
    expect(nav.locator('a[aria-current="page"]')).to_have_text("My team")

    # a deeper page marks its section: a team page is under "My team"
    page.goto(reverse("teams:team-detail", args=[team.public_id]))
    expect(nav.locator('a[aria-current="page"]')).to_have_text("My team")


OFFICE_TABS = {
    "back_office": (
        ["Billing", "Reports", "Clients", "Intake", "More"],
        ["Privacy requests", "Password"],
        ("billing:run-list", "intake:list", "privacy:request-list"),
    ),
    "admin": (
        ["Set-up", "Accounts", "Teams", "Audit log", "More"],
        ["Neighbourhoods", "Privacy requests", "Reports"],
        ("setup:checklist", "teams:user-list", "teams:neighbourhood-list"),
    ),
}


@pytest.mark.parametrize("role", list(OFFICE_TABS))
def test_back_office_and_administrators_get_the_bottom_bar_too(
    browser: Browser, live_server: object, role: str
) -> None:
    user = (BackOfficeFactory if role == "back_office" else AdminFactory)()
    tabs, more, urls = OFFICE_TABS[role]
    for width in PHONE_WIDTHS:
        page = _phone(browser, live_server.url, width)  # type: ignore[attr-defined]
        log_in(page, user.username)
        for name in urls:
            page.goto(reverse(name))
            bar = page.locator("nav.tabbar")
            expect(bar).to_be_visible()
            expect(page.locator("header nav.nav")).to_be_hidden()
            expect(bar.locator(":scope > ul > li > a, summary")).to_have_text(
                [re.compile(rf"{tab}$") for tab in tabs]
            )
            assert page.evaluate(OUTSIDE_VIEWPORT) == [], (width, name)
            assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        page.locator("nav.tabbar summary").tap()
        panel = page.locator(".tab-more-panel")
        for name in more:
            expect(panel.get_by_role("link", name=name)).to_be_visible()
        expect(panel.get_by_role("button", name="Log out")).to_be_visible()
        targets = ".tabbar a, .tabbar summary, .tabbar button"
        assert page.evaluate(SMALL_TARGETS, [targets, MIN_TARGET]) == [], width
        page.context.close()


# Each word of each bottom-bar label that is split over two lines or cut by its tab's edge
# (a word's characters as a DOM Range: its boxes sit on one line, inside the tab), and each
# label whose text is wider than its box.
BROKEN_LABELS = """() => {
  const broken = [];
  const tabs = document.querySelectorAll('nav.tabbar > ul > li > a, nav.tabbar summary');
  for (const tab of tabs) {
    const box = tab.getBoundingClientRect();
    const walker = document.createTreeWalker(tab, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('.tab-icon, .badge')) continue;
      for (const word of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.bottom)));
        const at = range.getBoundingClientRect();
        if (lines.size > 1) broken.push(`${word[0]}: on ${lines.size} lines`);
        else if (at.left < box.left - 0.5 || at.right > box.right + 0.5)
          broken.push(`${word[0]}: ${Math.round(at.width)} of ${Math.round(box.width)} px`);
      }
    }
    for (const el of [tab, ...tab.querySelectorAll('*')])
      if (el.scrollWidth > el.clientWidth + 1 && !el.matches('.badge'))
        broken.push(`${tab.textContent.trim()}: ${el.scrollWidth} px of text in ${el.clientWidth}`);
  }
  return broken;
}"""


def test_bottom_bar_labels_never_break_inside_a_word_in_dutch(
    browser: Browser, live_server: object
) -> None:
    # given each role's bottom bar in Dutch, whose words are long ("Declaraties", "Rapportages")
    team, (nurse,) = nursing_team(1, name="Team Menu")
    users = {
        "back-office": BackOfficeFactory(),
        "nurse": nurse,
        "coach": CoachAssignmentFactory(team=team, coach=CoachFactory()).coach,
        "admin": AdminFactory(),
    }
    broken = {}
    for role, user in users.items():
        user.language = "nl"
        user.save(update_fields=["language"])
        for width in PHONE_WIDTHS:
            page = _phone(browser, live_server.url, width)  # type: ignore[attr-defined]
            # when she opens her home page on a phone
            log_in(page, user.username)
            expect(page.locator("nav.tabbar")).to_be_visible()
            assert page.locator("html").get_attribute("lang") == "nl"
            broken[role, width] = page.evaluate(BROKEN_LABELS)
            if width == PHONE["width"] and role in ("nurse", "back-office"):
                page_check(page, f"phone-bottom-bar-nl-{role}", keyboard=False)
            page.context.close()
    # then every label is whole: no word split over two lines or cut off
    assert {where: words for where, words in broken.items() if words} == {}
