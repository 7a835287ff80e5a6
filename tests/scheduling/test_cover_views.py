"""The night-cover pages: propose, accept, remove (rules in `scheduling.services.rota`)."""

import datetime as dt

import pytest
from django.urls import reverse

from scheduling.models import CoverArrangement, CoverStatus
from tests.factories import CoverArrangementFactory, nursing_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams() -> dict:
    covering, (covering_nurse,) = nursing_team(1, name="Team X")
    covered, (covered_nurse,) = nursing_team(1, name="Team Y")
    third, (third_nurse,) = nursing_team(1, name="Team Z")
    return {
        "covering": covering,
        "covering_nurse": covering_nurse,
        "covered": covered,
        "covered_nurse": covered_nurse,
        "third_nurse": third_nurse,
    }


def cover_url(team) -> str:
    return f"{reverse('scheduling:cover-arrangements')}?team={team.public_id}"


def test_proposal_waits_for_the_covered_team_and_is_accepted_there(client, teams) -> None:
    # given team X proposes on its cover page
    client.force_login(teams["covering_nurse"])
    response = client.post(
        cover_url(teams["covering"]),
        {"covered_team": teams["covered"].pk, "valid_from": "2026-06-01"},
    )
    assert response.status_code == 302
    arrangement = CoverArrangement.objects.get()
    assert arrangement.status == CoverStatus.PROPOSED
    assert "awaits the other team" in client.get(cover_url(teams["covering"])).content.decode()
    # team X cannot accept its own proposal (not its arrangement to accept: refused, unchanged)
    client.post(reverse("scheduling:cover-accept", args=[arrangement.public_id]))
    arrangement.refresh_from_db()
    assert arrangement.status == CoverStatus.PROPOSED
    # when team Y opens its cover page and accepts
    client.force_login(teams["covered_nurse"])
    page = client.get(cover_url(teams["covered"])).content.decode()
    assert "awaits your answer" in page
    assert reverse("scheduling:cover-accept", args=[arrangement.public_id]) in page
    response = client.post(reverse("scheduling:cover-accept", args=[arrangement.public_id]))
    # then
    assert response.status_code == 302
    arrangement.refresh_from_db()
    assert (arrangement.status, arrangement.accepted_by) == (
        CoverStatus.ACCEPTED,
        teams["covered_nurse"],
    )


@pytest.mark.parametrize("who", ["covering_nurse", "covered_nurse"])
def test_either_team_removes_it(client, teams, who: str) -> None:
    arrangement = CoverArrangementFactory(
        covering_team=teams["covering"],
        covered_team=teams["covered"],
        valid_from=dt.date(2026, 6, 1),
    )
    client.force_login(teams[who])
    response = client.post(reverse("scheduling:cover-remove", args=[arrangement.public_id]))
    assert response.status_code == 302
    assert not CoverArrangement.objects.exists()


@pytest.mark.parametrize("route", ["scheduling:cover-accept", "scheduling:cover-remove"])
def test_a_third_team_gets_404_and_changes_nothing(client, teams, route: str) -> None:
    arrangement = CoverArrangementFactory(
        covering_team=teams["covering"], covered_team=teams["covered"], proposed=True
    )
    client.force_login(teams["third_nurse"])
    assert client.post(reverse(route, args=[arrangement.public_id])).status_code == 404
    arrangement.refresh_from_db()
    assert arrangement.status == CoverStatus.PROPOSED
