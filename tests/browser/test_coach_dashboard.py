"""The coach dashboard: a sortable table with traffic lights on a desktop, compact cards from
the same markup on a phone; sorting is a plain link (?sort=), so it works without JavaScript."""

import re

import pytest
from playwright.sync_api import Page, expect

from coaching import services
from tests.browser.conftest import PHONE, log_in, page_check
from tests.factories import CoachAssignmentFactory, CoachFactory, CoverageRuleFactory, nursing_team

pytestmark = pytest.mark.django_db(transaction=True)


def _coach() -> str:
    coach = CoachFactory(username="carla")
    for i, name in enumerate(["Team Noord", "Team Oost", "Team Zuid"]):
        team, _ = nursing_team(2, name=name)
        CoachAssignmentFactory(coach=coach, team=team)
        services.space_for_team(team=team)
        if i == 2:
            CoverageRuleFactory(team=team, min_nurses=1)  # nobody on the rota: gaps
    return coach.username


def _teams(page: Page) -> list[str]:
    return page.locator("tr.team-row th a").all_inner_texts()


def test_coach_sorts_her_teams_on_a_desktop_and_reads_cards_on_a_phone(page: Page) -> None:
    # given a coach of three teams, Zuid with rota gaps
    log_in(page, _coach())
    # then the table puts Zuid first, with a red light that says why
    assert _teams(page) == ["Team Zuid", "Team Noord", "Team Oost"]
    zuid = page.locator("tr.team-row").first
    expect(zuid.locator(".dash-status")).to_contain_text("Act: rota gaps")
    assert zuid.locator(".dash-status .light-red").count() == 1
    page_check(page, "coach-dashboard-table")
    # when she sorts by team name, twice (works as links, no JavaScript needed)
    page.get_by_role("link", name="Team", exact=True).click()
    expect(page).to_have_url(re.compile(r"sort=team&"))
    assert _teams(page) == ["Team Noord", "Team Oost", "Team Zuid"]
    page.get_by_role("link", name="Team", exact=True).click()
    expect(page).to_have_url(re.compile(r"sort=-team&"))
    assert _teams(page) == ["Team Zuid", "Team Oost", "Team Noord"]
    # and on a phone the same rows are cards inside the screen
    page.set_viewport_size(PHONE)
    page.reload()
    assert zuid.evaluate("el => getComputedStyle(el).display") == "grid"
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the dashboard scrolls sideways at 390 px ({width} px)"
    box = zuid.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    page_check(page, "coach-dashboard-cards-phone", keyboard=False)
