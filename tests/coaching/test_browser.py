"""Done when: a coach logs in, sees her teams ranked by what needs attention, reads and answers
a team's thread, and a nurse sees the reply appear without reloading (real Chromium).

tests/browser keeps one Playwright for its session in the main thread, and Playwright's sync
API allows one per thread, so these tests drive their own Chromium from a worker thread.
"""

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from coaching import services
from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    log_in,
    page_check,
)
from tests.factories import (
    CoachAssignmentFactory,
    CoachFactory,
    CoverageRuleFactory,
    MembershipFactory,
    NurseFactory,
    TeamFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def in_chromium(base_url: str, scenario: Callable[[Browser, Callable[..., Page]], None]) -> None:
    """Run `scenario(browser, new_page)` in a thread with its own Playwright; re-raise errors."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is missing")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                )

                def new_page(viewport: dict = DESKTOP, **kwargs: object) -> Page:
                    ctx = browser.new_context(
                        viewport=viewport, base_url=base_url, locale="en-GB", **kwargs
                    )
                    ctx.set_default_timeout(10_000)
                    page = ctx.new_page()
                    page.js_errors = []  # type: ignore[attr-defined]
                    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
                    return page

                try:
                    scenario(browser, new_page)
                finally:
                    browser.close()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            errors.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=180)
    if errors:
        raise errors[0]
    assert not worker.is_alive(), "browser scenario did not finish"


def test_coach_answers_and_nurse_sees_the_reply_without_reloading(live_server) -> None:
    # given a coach of two teams, one of which has rota gaps, and a nurse's question
    coach = CoachFactory(username="carla-coach", first_name="Carla", last_name="Coach")
    calm, busy = TeamFactory(name="Team Calm"), TeamFactory(name="Team Busy")
    for team in (calm, busy):
        CoachAssignmentFactory(coach=coach, team=team)
    CoverageRuleFactory(team=busy, min_nurses=1)  # nobody on the rota: gaps
    nurse = NurseFactory(username="noor-nurse", first_name="Noor", last_name="Nurse")
    MembershipFactory(team=busy, nurse=nurse, seat=1)
    thread = services.thread_start(
        space=services.space_for_team(team=busy),
        author=nurse,
        subject="Evening round too long",
        body="The evening round takes four hours now. Ideas?",
    )

    def scenario(browser: Browser, new_page: Callable[..., Page]) -> None:
        # the nurse has the thread open on her phone
        nurse_page = new_page(PHONE, is_mobile=True, has_touch=True)
        log_in(nurse_page, nurse.username)
        nurse_page.goto(thread.get_absolute_url())
        expect(nurse_page.get_by_role("heading", name="Evening round too long")).to_be_visible()

        # when the coach logs in she starts on her dashboard, the team with gaps first
        page = new_page()
        log_in(page, coach.username)
        expect(page.get_by_role("heading", name="Your teams")).to_be_visible()
        assert page.locator("tr.team-row th").all_inner_texts() == [
            "Team Busy",
            "Team Calm",
        ]
        expect(page.get_by_text("1 unread")).to_be_visible()
        page_check(page, "coach-dashboard")

        # and reads the thread and answers it
        page.get_by_role("link", name="Messages").first.click()
        page_check(page, "coach-space-list")
        page.get_by_role("link", name="Team Busy").first.click()
        page.get_by_role("link", name="Evening round too long").click()
        page_check(page, "coach-thread")
        page.get_by_label("Message").fill("Shall we split it in two routes? @noor-nurse")
        page.get_by_role("button", name="Post reply").click()
        expect(page.get_by_text("Shall we split it in two routes?")).to_be_visible()

        # then the reply appears on the nurse's phone without a reload (polling every 4 s)
        expect(nurse_page.get_by_text("Shall we split it in two routes?")).to_be_visible(
            timeout=12_000
        )
        assert nurse_page.js_errors == []  # type: ignore[attr-defined]

    in_chromium(live_server.url, scenario)


def test_nurse_team_figures_page_passes_checks(live_server) -> None:
    nurse = NurseFactory(username="eva-nurse")
    MembershipFactory(team=TeamFactory(name="Team Figures"), nurse=nurse, seat=1)

    def scenario(browser: Browser, new_page: Callable[..., Page]) -> None:
        page = new_page(PHONE, is_mobile=True, has_touch=True)
        log_in(page, nurse.username)
        page.goto("/coaching/team/")
        expect(page.get_by_role("heading", name="Figures of Team Figures")).to_be_visible()
        page_check(page, "nurse-team-figures-phone")

    in_chromium(live_server.url, scenario)
