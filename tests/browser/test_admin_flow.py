"""The administrator sets up a neighbourhood and a team and meets the 12-nurse limit."""

import re

import pytest
from playwright.sync_api import Page, expect

from teams.models import Membership, Team, User
from teams.services import TEAM_FULL, team_add_nurse
from tests.browser.conftest import log_in, page_check
from tests.factories import AdminFactory, NurseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_creates_neighbourhood_and_team_and_meets_the_nurse_limit(page: Page) -> None:
    # given an administrator and thirteen nurses without a team
    admin = AdminFactory(username="anna-admin", first_name="Anna", last_name="Admin")
    nurses = [
        NurseFactory(username=f"e2e-nurse{i:02d}", first_name="Nurse", last_name=f"N{i:02d}")
        for i in range(1, 14)
    ]

    # when she logs in (keyboard only) on this install with nothing set up, she starts on the
    # set-up checklist (tests/browser/test_first_run.py), and goes to the teams from the menu
    log_in(page, admin.username)
    expect(page.get_by_role("heading", name="Set-up checklist")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Teams").click()
    expect(page.get_by_role("heading", name="Teams", exact=True)).to_be_visible()
    page_check(page, "admin-team-list")

    # and creates a neighbourhood, typing and submitting with the keyboard
    page.get_by_role("link", name="Neighbourhoods").click()
    page_check(page, "admin-neighbourhood-list")
    page.get_by_role("link", name="New neighbourhood").click()
    page_check(page, "admin-neighbourhood-form")
    page.get_by_label("Name").fill("Kralingen-Oost")
    page.get_by_label("Postcode areas").fill("3062, 3063")
    page.get_by_label("Population estimate").fill("8200")
    page.get_by_label("Population estimate").press("Enter")
    expect(page.get_by_text("Neighbourhood Kralingen-Oost saved.")).to_be_visible()
    expect(page.get_by_role("cell", name="3062, 3063")).to_be_visible()

    # and a team in it
    page.get_by_role("link", name="Teams", exact=True).click()
    page.get_by_role("link", name="New team").click()
    page_check(page, "admin-team-form")
    page.get_by_label("Name").fill("Team Kralingen")
    page.get_by_label("Neighbourhood").select_option(label="Kralingen-Oost")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Team Kralingen")).to_be_visible()
    team = Team.objects.get(name="Team Kralingen")
    assert team.neighbourhood.name == "Kralingen-Oost"

    # and adds two nurses through the page
    for nurse in nurses[:2]:
        page.get_by_label("Nurse", exact=True).select_option(label=str(nurse))
        page.get_by_role("button", name="Add nurse").click()
        expect(page.get_by_text(f"{nurse} joined Team Kralingen.")).to_be_visible()
    expect(page.get_by_role("heading", name="Nurses: 2 of 12")).to_be_visible()
    page_check(page, "admin-team-detail")

    # and ten more join (through the same service the page calls, to keep the test short)
    for nurse in nurses[2:12]:
        team_add_nurse(team=team, nurse=nurse)
    page.reload()

    # then the page says the team is full
    expect(page.get_by_role("heading", name="Nurses: 12 of 12")).to_be_visible()
    expect(page.get_by_text(re.compile("This team is full"))).to_be_visible()
    page_check(page, "admin-team-full")

    # and a thirteenth nurse is refused with the service's message, shown at the field
    page.get_by_label("Nurse", exact=True).select_option(label=str(nurses[12]))
    page.get_by_role("button", name="Add nurse").click()
    expect(page.get_by_role("alert")).to_contain_text(
        TEAM_FULL.format(team="Team Kralingen", limit=Team.MAX_NURSES)
    )
    assert Membership.objects.filter(team=team, ended_on__isnull=True).count() == 12
    assert not Membership.objects.filter(nurse=User.objects.get(pk=nurses[12].pk)).exists()

    # and the team list marks the team as full
    page.get_by_role("link", name="Teams", exact=True).click()
    row = page.get_by_role("row").filter(has_text="Team Kralingen")
    expect(row).to_contain_text("12 of 12")
    expect(row).to_contain_text("full")
