"""Outcome reports: hand-computed aggregates, no names unless allowed, access, the job."""

import csv
import datetime as dt
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.models import RatingMoment
from omaha.reports import aggregates, services
from omaha.reports.charts import bar_chart
from omaha.reports.files import report_csv_bytes, report_pdf_html
from omaha.reports.forms import OPTIONS_MAX
from omaha.reports.models import OutcomeReport, ReportScope, ReportStatus
from tests.factories import (
    ClientFactory,
    ClientProblemFactory,
    InterventionFactory,
    OutcomeRatingFactory,
    TeamFactory,
    problem_by_code,
)

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)


@pytest.fixture
def team_world(access_world):
    """Team A: two clients with Pain rated twice (one improved), one with a single rating."""
    team = access_world.team_a
    anna = ClientFactory(team=team, first_name="Anna", last_name="Zwart")
    bram = ClientFactory(team=team, first_name="Bram", last_name="Groen")
    ClientFactory(team=access_world.team_b, first_name="Other", last_name="Team")
    pain_a = ClientProblemFactory(client=anna, problem=problem_by_code("24"))
    pain_b = ClientProblemFactory(client=bram, problem=problem_by_code("24"))
    ClientProblemFactory(client=bram, problem=problem_by_code("01"))  # Income: not rated
    nurse = access_world.nurse_a
    # Anna: admission K2 B2 S2 -> latest K4 B3 S3 (improved)
    OutcomeRatingFactory(
        client_problem=pain_a,
        moment=RatingMoment.ADMISSION,
        rated_on=dt.date(2026, 1, 5),
        knowledge=2,
        behavior=2,
        status=2,
        rated_by=nurse,
    )
    OutcomeRatingFactory(
        client_problem=pain_a,
        rated_on=dt.date(2026, 3, 1),
        knowledge=4,
        behavior=3,
        status=3,
        rated_by=nurse,
    )
    # Bram: admission K3 B3 S3 -> latest K3 B2 S3 (worse)
    OutcomeRatingFactory(
        client_problem=pain_b,
        moment=RatingMoment.ADMISSION,
        rated_on=dt.date(2026, 1, 6),
        knowledge=3,
        behavior=3,
        status=3,
        rated_by=nurse,
    )
    OutcomeRatingFactory(
        client_problem=pain_b,
        rated_on=dt.date(2026, 2, 1),
        knowledge=3,
        behavior=2,
        status=3,
        rated_by=nurse,
    )
    # A rating after the period does not count
    OutcomeRatingFactory(
        client_problem=pain_b,
        rated_on=dt.date(2026, 8, 1),
        knowledge=5,
        behavior=5,
        status=5,
        rated_by=nurse,
    )
    InterventionFactory(client_problem=pain_a)
    InterventionFactory(client_problem=pain_b)
    return access_world


def _report(world, **kwargs) -> OutcomeReport:
    values = {
        "scope": ReportScope.TEAM,
        "team": world.team_a,
        "period_start": START,
        "period_end": END,
        "requested_by": world.back_office,
    }
    values.update(kwargs)
    return OutcomeReport.objects.create(**values)


def test_kbs_means_and_share_improved_match_a_hand_computation(team_world) -> None:
    # when
    rows = aggregates.kbs_by_problem(_report(team_world))
    # then: only Pain has two ratings; means (2+3)/2, (2+3)/2, ... ; one of two improved
    assert len(rows) == 1
    pain = rows[0]
    assert pain["code"] == "24"
    assert pain["rated"] == 2
    assert (pain["k0"], pain["b0"], pain["s0"]) == (2.5, 2.5, 2.5)
    assert (pain["k1"], pain["b1"], pain["s1"]) == (3.5, 2.5, 3.0)
    assert pain["improved"] == 1
    assert pain["share_improved"] == 0.5


def test_problems_and_interventions_are_counted_per_scope(team_world) -> None:
    report = _report(team_world)
    problems = {r["code"]: r["clients"] for r in aggregates.problems_by_domain(report)}
    assert problems == {"01": 1, "24": 2}
    interventions = aggregates.interventions_by_category(report)
    assert sum(r["count"] for r in interventions) == 2
    assert aggregates.scope_clients(report).count() == 2
    organisation = _report(team_world, scope=ReportScope.ORGANISATION, team=None)
    assert aggregates.scope_clients(organisation).count() == 3


def test_aggregate_report_files_hold_no_names(team_world) -> None:
    report = _report(team_world)
    result = aggregates.compute(report)
    csv_text = report_csv_bytes(report, result, "nl").decode("utf-8-sig")
    html = report_pdf_html(report, result)
    for name in ("Anna", "Zwart", "Bram", "Groen"):
        assert name not in csv_text
        assert name not in html
    rows = list(csv.DictReader(io.StringIO(csv_text), delimiter=";"))  # Dutch Excel
    assert {
        "onderdeel": "summary",
        "groep": "Team A",
        "onderwerp": "",
        "maat": "clients",
        "waarde": "2",
    } in rows
    assert "<svg" in html


def test_per_client_report_is_only_for_a_nurse_of_the_team(team_world) -> None:
    w = team_world
    common = {
        "scope": ReportScope.TEAM,
        "team": w.team_a,
        "period_start": START,
        "period_end": END,
        "per_client": True,
    }
    for outsider in (w.back_office, w.coach_a, w.nurse_b, w.admin):
        with pytest.raises(ValidationError, match="only for nurses of that team"):
            services.outcome_report_request(actor=outsider, **common)
    report = services.outcome_report_request(actor=w.nurse_a, **common)
    assert report.per_client


def test_scope_outside_own_team_is_refused(team_world) -> None:
    with pytest.raises(ValidationError, match="your own team"):
        services.outcome_report_request(
            actor=team_world.nurse_a,
            scope=ReportScope.TEAM,
            team=team_world.team_b,
            period_start=START,
            period_end=END,
        )
    with pytest.raises(ValidationError, match="your own team"):
        services.outcome_report_request(
            actor=team_world.coach_a,
            scope=ReportScope.ORGANISATION,
            period_start=START,
            period_end=END,
        )


def test_bad_period_is_refused_with_clear_messages(team_world) -> None:
    with pytest.raises(ValidationError, match=re.escape(str(services.PERIOD_REVERSED))) as exc:
        services.outcome_report_request(
            actor=team_world.back_office,
            scope=ReportScope.ORGANISATION,
            period_start=END,
            period_end=START,
        )
    assert services.PERIOD_REVERSED in exc.value.message_dict["period_end"]
    assert OutcomeReport.objects.count() == 0


def test_report_job_fills_the_report_and_files(team_world, django_capture_on_commit_callbacks):
    # when: asked by a nurse of the team, per client; the task runs on commit (eager)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.outcome_report_request(
            actor=team_world.nurse_a,
            scope=ReportScope.TEAM,
            team=team_world.team_a,
            period_start=START,
            period_end=END,
            per_client=True,
        )
    # then
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    assert report.client_count == 2
    assert report.pdf_file.read(4) == b"%PDF"
    assert {r["client"] for r in report.result["per_client"]} == {"Anna Zwart", "Bram Groen"}
    # a second delivery of the same task changes nothing
    assert services.outcome_report_build(report_id=report.pk) is None


@pytest.mark.parametrize(
    ("who", "aggregate_status", "per_client_status"),
    [
        ("nurse_a", 200, 200),
        ("nurse_b", 404, 404),
        ("coach_a", 200, 404),
        ("coach_b", 404, 404),
        ("back_office", 200, 404),
        ("admin", 200, 404),
    ],
)
def test_report_access(client, team_world, who, aggregate_status, per_client_status) -> None:
    aggregate = _report(team_world, status=ReportStatus.DONE)
    per_client = _report(team_world, per_client=True, requested_by=team_world.nurse_a)
    client.force_login(getattr(team_world, who))
    assert client.get(aggregate.get_absolute_url()).status_code == aggregate_status
    assert client.get(per_client.get_absolute_url()).status_code == per_client_status
    api = client.get(reverse("api-report-detail", args=[per_client.public_id]))
    assert api.status_code == per_client_status


def test_report_page_starts_a_report_and_keeps_input_on_error(client, team_world) -> None:
    client.force_login(team_world.back_office)
    response = client.post(
        reverse("reports:report-list"),
        {
            "scope": "team",
            "team": team_world.team_a.pk,
            "period_start": "2026-06-30",
            "period_end": "2026-01-01",
        },
    )
    assert response.status_code == 200
    assert str(services.PERIOD_REVERSED) in response.content.decode()
    assert 'value="2026-06-30"' in response.content.decode()


def test_api_starts_a_report(client, team_world, django_capture_on_commit_callbacks) -> None:
    client.force_login(team_world.back_office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("api-report-list"),
            {"scope": "organisation", "period_start": "2026-01-01", "period_end": "2026-06-30"},
            content_type="application/json",
        )
    assert response.status_code == 201
    detail = client.get(reverse("api-report-detail", args=[response.json()["id"]])).json()
    assert detail["status"] == "done"
    assert detail["pdf_url"].endswith("/pdf/")


def test_bar_chart_escapes_labels() -> None:
    svg = bar_chart(title="t", labels=["<script>"], series=[("a", [1.0])])
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


@pytest.mark.parametrize("count", [2, 12])
def test_report_list_has_a_flat_query_count(
    client, team_world, django_assert_max_num_queries, count
) -> None:
    for _ in range(count):
        _report(team_world, status=ReportStatus.DONE)
    client.force_login(team_world.back_office)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("reports:report-list"))
    assert response.status_code == 200
    assert response.content.decode().count("Team A") >= count


def test_report_page_team_choice_keeps_the_chosen_team_selected(client, team_world) -> None:
    # given a back-office request that fails on its period
    client.force_login(team_world.back_office)
    response = client.post(
        reverse("reports:report-list"),
        {
            "scope": "team",
            "team": team_world.team_a.pk,
            "period_start": "2026-06-30",
            "period_end": "2026-01-01",
        },
    )
    # then every team is offered (escaped) and team A is still the selected one
    html = response.content.decode()
    assert f'<option value="{team_world.team_a.pk}" selected>' in html
    assert f'<option value="{team_world.team_b.pk}">' in html
    assert '<select name="team" id="id_team">' in html


def _many_teams() -> None:
    """More teams (and neighbourhoods) than a <select> offers: the back office's case."""
    for n in range(OPTIONS_MAX):
        TeamFactory(name=f"Wijkteam {n:03}")


def test_report_form_searches_teams_by_name_among_many(client, team_world) -> None:
    # given more teams than a select offers
    _many_teams()
    client.force_login(team_world.back_office)
    # when the back office opens the reports page
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("reports:report-list"))
    # then the team and the neighbourhood are search fields: no option per team
    html = page.content.decode()
    assert '<input type="search" name="team"' in html
    assert '<input type="search" name="neighbourhood"' in html
    assert "Wijkteam 001" not in html
    assert len(queries) <= 10
    # and a unique part of a team's name finds it when the form is sent (no JavaScript)
    response = client.post(
        reverse("reports:report-list"),
        {"scope": "team", "team": "wijkteam 007", "period_start": "2026-01-01",
         "period_end": "2026-06-30"},
    )  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    assert OutcomeReport.objects.get().team.name == "Wijkteam 007"


@pytest.mark.parametrize(
    ("typed", "message"),
    [("Wijkteam 00", "Several match"), ("Nowhere", "Nothing matches")],
)
def test_report_form_team_search_error_keeps_the_text(
    client, team_world, typed: str, message: str
) -> None:
    # given many teams
    _many_teams()
    client.force_login(team_world.back_office)
    # when a name matches several teams or none
    response = client.post(
        reverse("reports:report-list"),
        {"scope": "team", "team": typed, "period_start": "2026-01-01",
         "period_end": "2026-06-30"},
    )  # fmt: skip
    # then the field says so, keeps what was typed, and nothing is stored
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert f'value="{typed}"' in html
    assert not OutcomeReport.objects.exists()


def test_report_form_offers_a_coachs_few_teams_as_options(client, team_world) -> None:
    # given many teams in the organisation, of which the coach coaches one
    _many_teams()
    client.force_login(team_world.coach_a)
    # when
    html = client.get(reverse("reports:report-list")).content.decode()
    # then her team is an option of a select
    assert '<select name="team" id="id_team">' in html
    assert f'<option value="{team_world.team_a.pk}">Team A</option>' in html
    assert "Wijkteam" not in html
