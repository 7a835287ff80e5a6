"""Back-office and administration lists cost the same whatever the organisation's size.

Issue 22: a list page counted all its rows (COUNT(*) over ~100,000 clients for the back office)
on every view, so the page grew with the data. The pages now read one row beyond the page to
know whether there is a next one (buurtzorg.paging.page_without_count), and say "Page N".
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.reads import PAGE_SIZE
from tests.factories import ClientFactory, TeamFactory


def _counts(queries: CaptureQueriesContext) -> list[str]:
    """Counts of a whole list (Django's Paginator: `SELECT COUNT(*) AS "__count"`), not the
    per-row figures a list may show (e.g. a team's nurses)."""
    return [q["sql"] for q in queries.captured_queries if '"__count"' in q["sql"]]


@pytest.mark.parametrize(
    ("who", "name"),
    [
        ("back_office", "clients:client-list"),
        ("back_office", "billing:run-list"),
        ("back_office", "reports:report-list"),
        ("back_office", "teams:team-list"),
        ("admin", "teams:user-list"),
    ],
)
def test_list_pages_count_no_rows(client, access_world, who: str, name: str) -> None:
    # given a signed-in back office / administrator
    client.force_login(getattr(access_world, who))
    # when the list is shown
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name))
    # then it answers without counting the rows
    assert response.status_code == 200
    assert _counts(queries) == []


def test_client_list_pages_on_without_a_count(client, access_world) -> None:
    # given more clients than a page holds
    ClientFactory.create_batch(PAGE_SIZE + 2, team=access_world.team_a)
    client.force_login(access_world.back_office)
    # when the back office pages through them
    with CaptureQueriesContext(connection) as queries:
        first = client.get(reverse("clients:client-list"))
    second = client.get(reverse("clients:client-list"), {"page": "2"})
    beyond = client.get(reverse("clients:client-list"), {"page": "7"})
    # then a full first page links on, the rest are on page 2, and nothing was counted
    assert _counts(queries) == []
    assert len(first.context["rows"]) == PAGE_SIZE
    assert "page=2" in first.content.decode()
    assert "Page 1" in first.content.decode()
    assert len(second.context["rows"]) == 2
    assert not second.context["page"].has_next()
    assert "page=1" in second.content.decode()
    assert beyond.status_code == 200
    assert beyond.context["rows"] == []


def test_a_short_client_list_still_says_how_many(client, access_world) -> None:
    # given a nurse with three clients (one page: the number is known without a count)
    ClientFactory.create_batch(3, team=access_world.team_a)
    client.force_login(access_world.nurse_a)
    # when
    response = client.get(reverse("clients:client-list"))
    # then
    assert "3 clients" in response.content.decode()


def test_team_list_pages_on(client, access_world) -> None:
    # given more teams than a page of the team list holds (50)
    TeamFactory.create_batch(50)
    client.force_login(access_world.admin)
    # when
    first = client.get(reverse("teams:team-list"))
    second = client.get(reverse("teams:team-list"), {"page": "2"})
    # then
    assert len(first.context["page"]) == 50
    assert first.context["page"].has_next()
    assert len(second.context["page"]) == 2
    assert "Page 2" in second.content.decode()
