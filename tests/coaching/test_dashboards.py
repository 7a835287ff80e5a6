"""Coach and team dashboards and the figures API: access, ranking and query budget."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from coaching import services
from coaching.forms import PERIOD_REVERSED
from coaching.models import TeamPeriodFigures
from coaching.summary import end_of_week, team_days_refresh
from coaching.tasks import team_days_refresh_recent_task
from tests.factories import (
    CoachAssignmentFactory,
    CoachFactory,
    CoverageRuleFactory,
    nursing_team,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "status"),
    [("coach_a", 200), ("nurse_a", 404), ("back_office", 404), ("admin", 404)],
)
def test_coach_dashboard_is_for_coaches(client, access_world, who, status) -> None:
    client.force_login(getattr(access_world, who))
    assert client.get(reverse("coaching:dashboard")).status_code == status


def test_coach_dashboard_shows_only_her_teams(client, access_world) -> None:
    services.thread_start(
        space=services.space_for_team(team=access_world.team_a),
        author=access_world.nurse_a,
        subject="Question",
        body="Can we talk?",
    )
    client.force_login(access_world.coach_a)
    body = client.get(reverse("coaching:dashboard")).content.decode()
    assert '<span class="pill">1 unread</span>' in body
    assert 'aria-label="1 unread"' in body  # the navigation badge
    assert "Team A" in body
    assert "Team B" not in body
    assert "Productivity" in body
    assert "Hours delivered ÷ contracted hours" in body  # the definition travels along


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coach_a", 200),
        ("nurse_a", 200),
        ("coach_b", 404),
        ("nurse_b", 404),
        ("back_office", 404),
        ("admin", 404),
    ],
)
def test_team_figures_access(client, access_world, who, status) -> None:
    client.force_login(getattr(access_world, who))
    url = reverse("coaching:team-figures", args=[access_world.team_a.public_id])
    assert client.get(url).status_code == status
    api = APIClient()
    api.force_authenticate(getattr(access_world, who))
    response = api.get(
        f"/api/teams/{access_world.team_a.public_id}/figures/",
        {"start": "2026-06-01", "end": "2026-06-28"},
    )
    assert response.status_code == status


def test_nurse_sees_own_team_next_to_the_median(client, access_world) -> None:
    client.force_login(access_world.nurse_a)
    response = client.get(reverse("coaching:team-dashboard"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Figures of Team A" in body
    assert "Median of all teams" in body
    assert "Team B" not in body  # the median is anonymous


def test_figures_api_bad_period_is_400(access_world) -> None:
    api = APIClient()
    api.force_authenticate(access_world.coach_a)
    response = api.get(
        f"/api/teams/{access_world.team_a.public_id}/figures/",
        {"start": "2026-06-28", "end": "2026-06-01"},
    )
    assert response.status_code == 400
    assert response.json()["end"] == [PERIOD_REVERSED]
    assert api.get(f"/api/teams/{access_world.team_a.public_id}/figures/").status_code == 400


def test_figures_api_lists_every_figure_with_definition(access_world) -> None:
    api = APIClient()
    api.force_authenticate(access_world.nurse_a)
    data = api.get(
        f"/api/teams/{access_world.team_a.public_id}/figures/",
        {"start": "2026-06-01", "end": "2026-06-28"},
    ).json()
    keys = {f["key"] for f in data["figures"]}
    assert {"productivity", "gaps", "continuity", "outcomes", "late_share"} <= keys
    assert all(f["definition"] for f in data["figures"])
    assert data["team_name"] == "Team A"
    schema = api.get("/api/schema/", {"format": "json"}).json()
    assert "/api/teams/{id}/figures/" in schema["paths"]


def _coach_with_teams(n: int, *, gap_team: int | None = None) -> object:
    coach = CoachFactory()
    for i in range(n):
        team, _ = nursing_team(2, name=f"C{n}-{i:02d}")
        CoachAssignmentFactory(coach=coach, team=team)
        services.space_for_team(team=team)
        if i == gap_team:
            CoverageRuleFactory(team=team, min_nurses=1)  # nobody on the rota: gaps
    return coach


def test_team_with_rota_gaps_comes_first(client) -> None:
    coach = _coach_with_teams(3, gap_team=2)
    client.force_login(coach)
    body = client.get(reverse("coaching:dashboard")).content.decode()
    assert body.index("C3-02") < body.index("C3-00") < body.index("C3-01")
    assert "rota gap" in body


def _dashboard_queries(client, n: int) -> int:
    client.force_login(_coach_with_teams(n, gap_team=0))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("coaching:dashboard"))
    assert response.status_code == 200
    assert response.content.decode().count('class="team-row ') == n
    return len(ctx.captured_queries)


def test_dashboard_query_count_is_constant_for_2_and_10_teams(client) -> None:
    assert _dashboard_queries(client, 2) == _dashboard_queries(client, 10)


def test_period_defaults_to_last_four_weeks(client, access_world) -> None:
    client.force_login(access_world.coach_a)
    today = timezone.localdate()
    body = client.get(reverse("coaching:dashboard"), {"start": "x", "end": "y"}).content.decode()
    assert f"{(today - dt.timedelta(days=27)):%-d %b %Y}" in body


def _fill_summary_now() -> None:
    today = timezone.localdate()
    team_days_refresh(
        first=today - dt.timedelta(weeks=13), last=end_of_week(today), state_on=[today]
    )


def _dashboard_queries_from_summary(client, n: int) -> int:
    client.force_login(_coach_with_teams(n, gap_team=0))
    _fill_summary_now()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("coaching:dashboard"))
    body = response.content.decode()
    assert body.count('class="team-row ') == n
    assert "Figures as of" in body  # read from the summary, not computed live
    assert "rota gap" in body
    return len(ctx.captured_queries)


def test_dashboard_from_summary_is_at_most_10_queries_for_2_and_10_teams(client) -> None:
    two = _dashboard_queries_from_summary(client, 2)
    assert two == _dashboard_queries_from_summary(client, 10)
    assert two <= 10


def _team_page_queries(client, n_teams: int) -> int:
    cache.clear()  # the all-teams median is computed cold, from the summary
    teams = [nursing_team(2 + i % 3, name=f"P{n_teams}-{i}") for i in range(n_teams)]
    _fill_summary_now()
    client.force_login(teams[0][1][0])
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(reverse("coaching:team-dashboard")).content.decode()
    assert "Median of all teams" in body
    assert "Figures as of" in body
    return len(ctx.captured_queries)


def test_team_page_with_cold_median_is_at_most_10_queries_for_2_and_10_teams(client) -> None:
    two = _team_page_queries(client, 2)
    assert two == _team_page_queries(client, 10)
    assert two <= 10


def _figure_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(reverse("coaching:dashboard")).content.decode()
    return len(ctx.captured_queries), body


def test_after_the_refresh_task_the_first_dashboard_view_reads_finished_figures(client) -> None:
    # given: a coach of three teams, a summary of the last 13 weeks, an empty cache, and no
    # finished figures: her view sums the summary rows (and caches them)
    coach = _coach_with_teams(3, gap_team=1)
    client.force_login(coach)
    _fill_summary_now()
    TeamPeriodFigures.objects.all().delete()
    cache.clear()
    summed, summed_body = _figure_queries(client)
    cache.clear()
    # when: the 10-minute refresh task runs (it finishes the default period's figures)
    team_days_refresh_recent_task.delay()
    # then: her first view reads them in one query instead of summing the rows (two) after
    # finding none (one), and shows the same figures (the refresh rewrote no counts)
    finished, finished_body = _figure_queries(client)
    assert finished == summed - 2
    # (the cards, not the page around them: the phone bar's forms carry a fresh CSRF token)
    cards = lambda body: re.sub(  # noqa: E731
        r"Figures as of \d\d:\d\d",
        "",
        body.split('<table class="dash"')[1].split('class="tabbar"')[0],
    )
    assert cards(finished_body) == cards(summed_body)
    assert "C3-01" in finished_body
    assert "rota gap" in finished_body


def _team_order(body: str) -> list[str]:
    return re.findall(r'<th scope="row" class="dash-team"><a [^>]*>([^<]+)</a>', body)


def test_dashboard_sorts_server_side_by_a_whitelisted_column(client) -> None:
    # given three teams, the last with rota gaps
    coach = _coach_with_teams(3, gap_team=2)
    client.force_login(coach)
    url = reverse("coaching:dashboard")
    # when / then: by default what needs attention first
    assert _team_order(client.get(url).content.decode()) == ["C3-02", "C3-00", "C3-01"]
    # by name, both ways; the heading says which way and links to the other
    body = client.get(url, {"sort": "team"}).content.decode()
    assert _team_order(body) == ["C3-00", "C3-01", "C3-02"]
    assert 'aria-sort="ascending"' in body
    assert "sort=-team" in body
    body = client.get(url, {"sort": "-team"}).content.decode()
    assert _team_order(body) == ["C3-02", "C3-01", "C3-00"]
    assert 'aria-sort="descending"' in body
    # most gaps first, and a key outside the whitelist is the default order
    assert _team_order(client.get(url, {"sort": "-gaps"}).content.decode())[0] == "C3-02"
    body = client.get(url, {"sort": "team__pk"}).content.decode()
    assert _team_order(body) == ["C3-02", "C3-00", "C3-01"]
    assert "aria-sort" not in body


def test_sort_links_and_the_period_form_keep_each_other(client, access_world) -> None:
    client.force_login(access_world.coach_a)
    body = client.get(
        reverse("coaching:dashboard"),
        {"sort": "productivity", "start": "2026-06-01", "end": "2026-06-28"},
    ).content.decode()
    assert "?sort=-productivity&amp;start=2026-06-01&amp;end=2026-06-28" in body
    assert '<input type="hidden" name="sort" value="productivity">' in body


def test_traffic_light_is_a_dot_and_words(client) -> None:
    coach = _coach_with_teams(2, gap_team=0)
    client.force_login(coach)
    body = client.get(reverse("coaching:dashboard")).content.decode()
    assert '<span class="light light-red" aria-hidden="true"></span> Act: rota gaps' in body
    assert "light-row-red" in body
    assert body.count('class="dash-status"') == 2
    # the same cells serve the desktop table and the phone cards (one markup, CSS decides)
    assert body.count('data-label="Productivity"') == 2


def test_the_rows_escape_what_a_team_is_named(client) -> None:
    # given a team whose name is markup (the rows are written in Python, not by the template)
    coach = _coach_with_teams(1, gap_team=0)
    team = coach.coached_teams.get()
    team.name = "<b>\"Noord\" & 'Zuid'</b>"
    team.save(update_fields=["name"])
    client.force_login(coach)
    # when the coach opens her dashboard
    body = client.get(reverse("coaching:dashboard")).content.decode()
    # then the name is text, escaped as the template escapes it, in the row's link
    assert "<b>" not in body
    escaped = "&lt;b&gt;&quot;Noord&quot; &amp; &#x27;Zuid&#x27;&lt;/b&gt;"
    assert re.search(
        rf'class="dash-team"><a href="[^"]+\?start=[^"]+">{re.escape(escaped)}</a>', body
    )
