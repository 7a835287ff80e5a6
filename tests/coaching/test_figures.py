"""Team figures against hand-computed values on a small fixture, and the query budget."""

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clients.models import Client
from coaching import summary
from coaching.figures import (
    TeamFigures,
    _live_figures,
    _pair_counts,
    coverage_gaps_for_teams,
    figure_medians,
    team_figures,
)
from coaching.models import TeamDay, TeamPeriodFigures
from coaching.summary import end_of_week, team_days_refresh
from scheduling.models import NotDoneReason, ShiftKind, VisitStatus
from scheduling.services.rota import coverage_gaps, local_datetime
from teams.models import Team
from tests.factories import (
    CareIndicationFactory,
    ClientFactory,
    ClientProblemFactory,
    CoverageRuleFactory,
    CoverArrangementFactory,
    MembershipFactory,
    OutcomeRatingFactory,
    ShiftFactory,
    TeamFactory,
    VisitFactory,
    day_and_night_rules,
    nursing_team,
    problem_by_code,
)

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 6, 1), dt.date(2026, 6, 28)  # four whole weeks, Mon..Sun
TODAY = dt.date(2026, 6, 29)
LONG_AGO = dt.date(2020, 1, 1)


@pytest.fixture
def team_world():
    """One team, hand-made so that every figure can be computed on paper (see each test)."""
    team = TeamFactory(name="Team Paper")
    n1 = MembershipFactory(team=team, seat=1, started_on=LONG_AGO, contracted_hours=24).nurse
    n2 = MembershipFactory(team=team, seat=2, started_on=LONG_AGO, contracted_hours=32).nurse
    n3 = MembershipFactory(
        team=team, seat=3, started_on=dt.date(2026, 6, 15), contracted_hours=28
    ).nurse
    MembershipFactory(
        team=team,
        seat=4,
        started_on=LONG_AGO,
        ended_on=dt.date(2026, 6, 7),
        contracted_hours=20,
    )
    c1 = ClientFactory(team=team, admitted_on=dt.date(2026, 1, 5))
    c2 = ClientFactory(team=team, admitted_on=dt.date(2026, 6, 10))
    c3 = ClientFactory(
        team=team,
        admitted_on=dt.date(2026, 1, 5),
        discharged_on=dt.date(2026, 6, 20),
        status="discharged",
    )
    ClientFactory(team=team, admitted_on=dt.date(2026, 7, 1))  # not yet in care
    ClientFactory()  # another team's client
    CareIndicationFactory(client=c1, hours_per_week=Decimal(6), valid_from=dt.date(2026, 1, 5))
    CareIndicationFactory(
        client=c2, hours_per_week=Decimal(10), valid_from=dt.date(2026, 6, 10), valid_until=None
    )
    CareIndicationFactory(client=c3, hours_per_week=Decimal(5), valid_from=dt.date(2026, 1, 5))
    pain, meds = problem_by_code("24"), problem_by_code("42")

    def rate(cp, day, k, b, s) -> None:
        OutcomeRatingFactory(
            client_problem=cp, rated_on=day, knowledge=k, behavior=b, status=s, rated_by=n1
        )

    c1_pain = ClientProblemFactory(client=c1, problem=pain)
    rate(c1_pain, dt.date(2026, 6, 1), 2, 3, 2)  # 7
    rate(c1_pain, dt.date(2026, 6, 20), 3, 3, 3)  # 9: improved
    c1_meds = ClientProblemFactory(client=c1, problem=meds)
    rate(c1_meds, dt.date(2026, 5, 1), 3, 3, 3)  # 9
    rate(c1_meds, dt.date(2026, 6, 10), 2, 3, 3)  # 8: worse
    c2_pain = ClientProblemFactory(client=c2, problem=pain)
    rate(c2_pain, dt.date(2026, 6, 12), 1, 1, 1)  # rated once: not counted
    c3_pain = ClientProblemFactory(client=c3, problem=pain)
    rate(c3_pain, dt.date(2026, 2, 1), 2, 2, 2)
    rate(c3_pain, dt.date(2026, 6, 2), 2, 2, 2)  # same
    rate(c3_pain, dt.date(2026, 7, 5), 5, 5, 5)  # after the period: ignored
    # rota: 1 nurse 07:00-15:00 every day; covered only on the first of the next 14 days
    CoverageRuleFactory(team=team, starts_at=dt.time(7), ends_at=dt.time(15), min_nurses=1)
    ShiftFactory(team=team, nurse=n1, day=TODAY)

    # visits (08:00 local); minutes are logged minutes
    def visit(client_record, nurse, day, planned, status=VisitStatus.DONE, logged=None, at=None):
        return VisitFactory(
            client=client_record,
            nurse=nurse,
            day=day,
            at=dt.time(8),
            planned_minutes=planned,
            status=status,
            logged_minutes=logged,
            logged_at=at,
        )

    june = lambda d, h=9, m=0: local_datetime(dt.date(2026, 6, d), dt.time(h, m))  # noqa: E731
    visit(c1, n1, dt.date(2026, 6, 2), 60, logged=50, at=june(2, 9, 30))
    visit(c1, n2, dt.date(2026, 6, 3), 30, logged=40, at=june(5, 10))  # logged late
    visit(c2, n1, dt.date(2026, 6, 4), 45, logged=45, at=june(4))
    visit(c2, n1, dt.date(2026, 6, 5), 30, status=VisitStatus.CANCELLED)
    visit(c1, n1, dt.date(2026, 6, 6), 30, status=VisitStatus.PLANNED)  # never logged
    may31 = local_datetime(dt.date(2026, 5, 31), dt.time(9))
    visit(c1, n1, dt.date(2026, 5, 31), 60, logged=60, at=may31)
    billed = visit(c2, n2, dt.date(2026, 6, 10), 30, logged=20, at=june(10))
    # a correction of the billed visit carries its new minutes (logged much later)
    VisitFactory(
        client=c2,
        nurse=n2,
        day=dt.date(2026, 6, 10),
        at=dt.time(8),
        planned_minutes=30,
        status=VisitStatus.DONE,
        logged_minutes=30,
        logged_at=june(25),
        corrects=billed,
    )
    visit(c2, n3, dt.date(2026, 6, 20), 30, logged=45, at=june(20))
    return team


def test_figures_match_hand_computed_values(team_world) -> None:
    (f,) = team_figures(teams=[team_world], start=START, end=END, today=TODAY)
    # clients: c1, c2 in care on 28 June; c2 admitted, c3 discharged in June
    assert (f.active_clients, f.intake, f.discharges) == (2, 1, 1)
    # nurses on 28 June: seats 1-3; seat 4 left on 7 June
    assert f.nurses == 3
    assert f.contracted_hours_week == Decimal(84)  # 24 + 32 + 28
    # (24*28 + 32*28 + 28*14 + 20*7) / 7 = 2100 / 7
    assert f.contracted_hours == Decimal("300.0")
    assert f.clients_per_nurse == Decimal("0.7")  # 2 / 3
    # indicated 6 + 10 h/week (c3 discharged); per nurse 84/3 * 0.6 = 16.8 → 16 / 16.8
    assert f.indicated_hours_week == Decimal(16)
    assert f.nurses_needed == Decimal("1.0")
    assert f.split_nudge == ""
    # outcomes: c1 pain 7→9 better, c1 meds 9→8 worse, c3 pain 6→6 same (July ignored)
    assert (f.rated_problems, f.improved, f.stayed, f.worsened) == (3, 1, 1, 1)
    # problems on active clients' care plans: Pain (c1, c2), Medication regimen (c1)
    assert f.top_problems == [("Pain", 2), ("Medication regimen", 1)]
    # gaps: 29 June covered, 30 June..12 July not: 13 gaps of 8 hours
    assert (f.gap_count, f.gap_hours) == (13, Decimal("104.0"))
    # visits: originals not cancelled = 6 planned, 5 done, 1 logged more than 24 h late
    assert (f.planned_visits, f.logged_visits, f.late_visits) == (6, 5, 1)
    assert f.late_share == Decimal("0.200")
    # minutes 50 + 40 + 45 + 30 (the correction replaces 20) + 45 = 210; May 31 is outside
    assert f.delivered_hours == Decimal("3.5")
    assert f.productivity == Decimal("0.012")  # 3.5 / 300
    # continuity: c1 saw n1, n2; c2 saw n1, n2, n3 → 5 / 2
    assert f.continuity == Decimal("2.50")
    # weekly trend, last 12 weeks up to the week of 29 June (contracted 76 h, then 56, 84)
    # 24+32+20 until 7 June, 24+32 the week after, 24+32+28 from 15 June
    assert len(f.weekly_productivity) == 12
    assert f.weekly_productivity[-6:] == [
        Decimal("0.013"),  # 25-31 May: 60 min / 76 h
        Decimal("0.030"),  # 1-7 June: 135 min / 76 h
        Decimal("0.009"),  # 8-14 June: 30 min (the correction) / 56 h
        Decimal("0.009"),  # 15-21 June: 45 min / 84 h
        Decimal("0.000"),  # 22-28 June
        Decimal("0.000"),  # 29 June, this week
    ]
    assert f.weekly_productivity[0] == Decimal("0.000")  # 13 April: no visits
    # every figure has a one-line definition
    assert all(row["definition"] for row in f.rows())


def test_split_nudge_when_team_outgrows_itself(team_world) -> None:
    for _ in range(79):
        ClientFactory(team=team_world, admitted_on=dt.date(2026, 1, 5))
    (f,) = team_figures(teams=[team_world], start=START, end=END, today=TODAY, with_gaps=False)
    assert f.active_clients == 81
    assert "consider splitting" in f.split_nudge


def test_batched_gaps_equal_schedulings_per_team_check() -> None:
    # given two teams with day and night rules, where B's nights are covered by A
    team_a, (a1, a2) = nursing_team(2, name="A")
    team_b, (b1,) = nursing_team(1, name="B")
    day_and_night_rules(team_a)
    day_and_night_rules(team_b, day=1, night=1)
    CoverArrangementFactory(covering_team=team_a, covered_team=team_b)
    for day in (TODAY, TODAY + dt.timedelta(days=1)):
        ShiftFactory(team=team_a, nurse=a1, day=day)
        ShiftFactory(
            team=team_a,
            nurse=a2,
            day=day,
            kind=ShiftKind.NIGHT,
            starts_at=local_datetime(day, dt.time(23)),
            ends_at=local_datetime(day + dt.timedelta(days=1), dt.time(7)),
        )
        ShiftFactory(team=team_b, nurse=b1, day=day)
    start = local_datetime(TODAY, dt.time())
    end = local_datetime(TODAY + dt.timedelta(days=3), dt.time())
    # when both are checked in one go
    batched = coverage_gaps_for_teams(team_ids=[team_a.pk, team_b.pk], start=start, end=end)
    # then the answer is the per-team check's answer
    assert batched[team_a.pk] == coverage_gaps(team=team_a, start=start, end=end)
    assert batched[team_b.pk] == coverage_gaps(team=team_b, start=start, end=end)
    assert batched[team_b.pk]  # the fixture does have gaps


def _queries_for(n_teams: int) -> int:
    teams = []
    for i in range(n_teams):
        team, nurses = nursing_team(3, name=f"Q{n_teams}-{i}")
        client_record = ClientFactory(team=team)
        CareIndicationFactory(client=client_record)
        cp = ClientProblemFactory(client=client_record)
        OutcomeRatingFactory(client_problem=cp, rated_on=dt.date(2026, 6, 1), rated_by=nurses[0])
        OutcomeRatingFactory(client_problem=cp, rated_on=dt.date(2026, 6, 9), rated_by=nurses[0])
        day_and_night_rules(team)
        ShiftFactory(team=team, nurse=nurses[0], day=TODAY)
        for day in (3, 4):
            VisitFactory(
                client=client_record,
                nurse=nurses[day - 3],
                day=dt.date(2026, 6, day),
                status=VisitStatus.DONE,
                logged_minutes=30,
                logged_at=local_datetime(dt.date(2026, 6, day), dt.time(10)),
            )
        teams.append(team)
    with CaptureQueriesContext(connection) as ctx:
        figures = team_figures(teams=teams, start=START, end=END, today=TODAY)
        figure_medians(figures)
    assert len(figures) == n_teams
    return len(ctx.captured_queries)


def test_query_count_is_the_same_for_2_and_10_teams() -> None:
    two = _queries_for(2)
    assert two == _queries_for(10)
    assert two <= 12


# --- the daily summary (TeamDay) -------------------------------------------------------------

SUMMARY_FIRST = TODAY - dt.timedelta(weeks=13)


def _fill_summary(teams=None, *, today=TODAY) -> int:
    return team_days_refresh(
        first=SUMMARY_FIRST,
        last=end_of_week(today),
        state_on=[END, today],
        team_ids=None if teams is None else [t.pk for t in teams],
        today=today,
    )


def _comparable(figures) -> dict:
    values = dataclasses.asdict(figures)
    values.pop("as_of")
    values.pop("team")
    return values


def test_summary_gives_the_live_figures(team_world) -> None:
    # given the summary filled for the 13 weeks up to the end of TODAY's week
    _fill_summary()
    # when the figures are read (from the summary) and computed live
    (summary,) = team_figures(teams=[team_world], start=START, end=END, today=TODAY)
    (live,) = _live_figures(
        [team_world], start=START, end=END, today=TODAY, with_gaps=True, with_trend=True
    )
    # then they are the same numbers, and the summary was used
    assert summary.as_of is not None
    assert live.as_of is None
    assert _comparable(summary) == _comparable(live)
    assert (summary.delivered_hours, summary.continuity) == (Decimal("3.5"), Decimal("2.50"))
    assert summary.weekly_productivity[-6:] == live.weekly_productivity[-6:]


def test_summary_of_a_shorter_period_equals_live(team_world) -> None:
    _fill_summary()
    start, end = dt.date(2026, 6, 3), dt.date(2026, 6, 10)
    team_days_refresh(first=end, last=end, state_on=[end])
    (summary,) = team_figures(teams=[team_world], start=start, end=end, today=TODAY)
    (live,) = _live_figures(
        [team_world], start=start, end=end, today=TODAY, with_gaps=True, with_trend=True
    )
    assert summary.as_of is not None
    assert _comparable(summary) == _comparable(live)


def test_a_visit_not_done_is_not_owed_a_log_live_or_in_the_summary(team_world) -> None:
    # given a visit in the period that the nurse recorded as not done (the client was out)
    client_record = Client.objects.filter(team=team_world).order_by("pk").first()
    VisitFactory(
        client=client_record,
        nurse=None,
        day=dt.date(2026, 6, 8),
        at=dt.time(8),
        planned_minutes=30,
        status=VisitStatus.NOT_DONE,
        not_done_reason=NotDoneReason.NOT_HOME,
        logged_at=local_datetime(dt.date(2026, 6, 8), dt.time(8, 5)),
    )
    _fill_summary()
    # when the figures are read from the summary and computed live
    (summary,) = team_figures(teams=[team_world], start=START, end=END, today=TODAY)
    (live,) = _live_figures(
        [team_world], start=START, end=END, today=TODAY, with_gaps=True, with_trend=True
    )
    # then, like a cancelled one, it is neither planned-and-unlogged nor done
    assert summary.as_of is not None
    for f in (summary, live):
        assert (f.planned_visits, f.logged_visits) == (6, 5)


def test_refresh_is_idempotent(team_world) -> None:
    written = _fill_summary()
    first = list(TeamDay.objects.values().order_by("team", "day"))
    assert _fill_summary() == written
    again = list(TeamDay.objects.values().order_by("team", "day"))
    strip = lambda rows: [  # noqa: E731
        {k: v for k, v in r.items() if k not in ("updated_at", "state_at", "id")} for r in rows
    ]
    assert strip(again) == strip(first)
    assert len(first) == written


def test_a_later_visit_shows_after_the_refresh(team_world) -> None:
    # given a filled summary, then a visit logged for a day already summarised
    _fill_summary()
    nurse = team_world.memberships.first().nurse
    client_record = ClientFactory(team=team_world, admitted_on=dt.date(2026, 1, 5))
    VisitFactory(
        client=client_record,
        nurse=nurse,
        day=dt.date(2026, 6, 16),
        status=VisitStatus.DONE,
        logged_minutes=60,
        logged_at=local_datetime(dt.date(2026, 6, 16), dt.time(12)),
    )
    (stale,) = team_figures(teams=[team_world], start=START, end=END, today=TODAY)
    assert stale.delivered_hours == Decimal("3.5")  # the summary, until it is refreshed
    # when the night job refreshes that day
    team_days_refresh(first=dt.date(2026, 6, 16), last=dt.date(2026, 6, 16))
    (fresh,) = team_figures(teams=[team_world], start=START, end=END, today=TODAY)
    assert fresh.delivered_hours == Decimal("4.5")


def test_missing_summary_days_fall_back_to_live(team_world) -> None:
    _fill_summary()
    TeamDay.objects.filter(day=dt.date(2026, 6, 10)).delete()
    (f,) = team_figures(teams=[team_world], start=START, end=END, today=TODAY)
    assert f.as_of is None  # computed live
    assert f.delivered_hours == Decimal("3.5")


def test_nightly_refresh_reaches_days_of_new_corrections(team_world) -> None:
    # a correction entered today for a visit long before the nightly window
    old_day = TODAY - dt.timedelta(days=summary.NIGHTLY_DAYS + 30)
    nurse = team_world.memberships.first().nurse
    client_record = ClientFactory(team=team_world, admitted_on=dt.date(2026, 1, 5))
    original = VisitFactory(
        client=client_record,
        nurse=nurse,
        day=old_day,
        status=VisitStatus.DONE,
        logged_minutes=20,
        logged_at=local_datetime(old_day, dt.time(12)),
    )
    VisitFactory(
        client=client_record,
        nurse=nurse,
        day=old_day,
        status=VisitStatus.DONE,
        logged_minutes=50,
        logged_at=local_datetime(old_day, dt.time(13)),
        corrects=original,
    )
    summary.team_days_refresh_nightly(today=TODAY)
    row = TeamDay.objects.get(team=team_world, day=old_day)
    assert (row.delivered_minutes, row.logged_visits) == (50, 1)


def _summary_queries_for(n_teams: int) -> int:
    teams = [nursing_team(3, name=f"S{n_teams}-{i}")[0] for i in range(n_teams)]
    for team in teams:
        client_record = ClientFactory(team=team)
        VisitFactory(
            client=client_record,
            nurse=team.memberships.first().nurse,
            day=dt.date(2026, 6, 3),
            status=VisitStatus.DONE,
            logged_minutes=30,
            logged_at=local_datetime(dt.date(2026, 6, 3), dt.time(10)),
        )
    _fill_summary(teams)
    with CaptureQueriesContext(connection) as ctx:
        figures = team_figures(teams=teams, start=START, end=END, today=TODAY)
    assert all(f.as_of is not None for f in figures)
    return len(ctx.captured_queries)


def test_summary_read_is_two_queries_for_2_and_10_teams() -> None:
    # the days summed per team and week (the period's sums and the sparkline weeks in one),
    # the state rows (with the default period's continuity)
    assert _summary_queries_for(2) == _summary_queries_for(10) == 2


def test_default_period_continuity_is_read_from_the_refreshed_row(team_world) -> None:
    # given the summary, refreshed with the state of END (the default period's last day)
    _fill_summary()
    # when the figures of the 28 days up to END are read
    with CaptureQueriesContext(connection) as ctx:
        (figures,) = team_figures(teams=[team_world], start=START, end=END, today=TODAY)
    # then no query counts the pairs of 28 days of rows: the row holds the same counts
    assert not [q for q in ctx.captured_queries if "jsonb_array_elements" in q["sql"]]
    row = TeamDay.objects.get(team=team_world, day=END)
    assert (row.window_pairs, row.window_clients) == _pair_counts([team_world.pk], START, END)[
        team_world.pk
    ]
    assert figures.continuity == Decimal("2.50")


def test_a_new_pair_changes_the_default_period_continuity_after_the_refresh(team_world) -> None:
    # given the summary and figures of the default period
    _fill_summary()
    before = TeamDay.objects.get(team=team_world, day=END).window_pairs
    # when n3 visits c1 (a pair new in the period) on END and the state of END is refreshed
    c1 = Client.objects.get(team=team_world, admitted_on=dt.date(2026, 1, 5), discharged_on=None)
    VisitFactory(
        client=c1,
        nurse=team_world.memberships.get(seat=3).nurse,
        day=END,
        status=VisitStatus.DONE,
        logged_minutes=20,
        logged_at=local_datetime(END, dt.time(18)),
    )
    team_days_refresh(first=END, last=END, state_on=[END])
    # then the row counts one pair more, as the live count does
    assert TeamDay.objects.get(team=team_world, day=END).window_pairs == before + 1
    (figures,) = team_figures(teams=[team_world], start=START, end=END, today=TODAY)
    (live,) = _live_figures(
        [team_world], start=START, end=END, today=TODAY, with_gaps=True, with_trend=True
    )
    assert figures.continuity == live.continuity


def test_cached_figures_notice_a_refresh_of_a_later_day_of_this_week(team_world) -> None:
    # given: figures cached on a Monday; the sparkline's current week runs to Sunday
    cache.clear()
    _fill_summary()
    period = {"start": START, "end": END, "today": TODAY, "cached": True}
    team_figures(teams=[team_world], **period)
    # when: only Friday's row of this week is refreshed (its contracted hours may change)
    friday = TODAY + dt.timedelta(days=4)
    team_days_refresh(first=friday, last=friday)
    # then: the next read finds the entry stale by its stamp (1 query) and computes the figures
    # again (2 queries), it does not use the cache (the stamp's query alone)
    with CaptureQueriesContext(connection) as ctx:
        team_figures(teams=[team_world], **period)
    assert len(ctx.captured_queries) == 3


def test_a_second_read_comes_from_the_cache_until_the_summary_changes(team_world) -> None:
    # given: figures read once from the summary, through the cache (as the dashboard does),
    # with no entry left by an earlier run (a test database made again reuses the team ids)
    cache.clear()
    _fill_summary()
    period = {"start": START, "end": END, "today": TODAY, "cached": True}
    with CaptureQueriesContext(connection) as cold:
        (first,) = team_figures(teams=[team_world], **period)
    # when: read again
    with CaptureQueriesContext(connection) as warm:
        (again,) = team_figures(teams=[team_world], **period)
    # then: one query (the rows' stamps and sums) instead of two (and the state rows), the
    # same figures, this call's team
    assert (len(cold.captured_queries), len(warm.captured_queries)) == (2, 1)
    assert again == first
    assert again.team is team_world
    # when: the refresh rewrites a day of the period (a visit logged late for it)
    nurse = team_world.memberships.first().nurse
    VisitFactory(
        client=ClientFactory(team=team_world, admitted_on=dt.date(2026, 1, 5)),
        nurse=nurse,
        day=dt.date(2026, 6, 16),
        status=VisitStatus.DONE,
        logged_minutes=60,
        logged_at=local_datetime(dt.date(2026, 6, 16), dt.time(12)),
    )
    team_days_refresh(first=dt.date(2026, 6, 16), last=dt.date(2026, 6, 16))
    (fresh,) = team_figures(teams=[team_world], **period)
    # then: the new figures, not the cached ones
    assert fresh.delivered_hours == first.delivered_hours + 1
    # when: a summary row of the period goes away, the cached figures no longer count
    TeamDay.objects.filter(team=team_world, day=dt.date(2026, 6, 10)).delete()
    (live,) = team_figures(teams=[team_world], **period)
    assert live.as_of is None  # computed live, as the summary misses a day


# --- the default period's figures, finished by the refresh (TeamPeriodFigures) ------------------

DEFAULT_START = TODAY - dt.timedelta(days=27)  # the four weeks up to and including TODAY


def _default_period_figures(team) -> tuple[TeamFigures, TeamFigures, int]:
    """The team's figures of the default period as pages read them (and the number of
    queries that took), and computed live from the source tables."""
    with CaptureQueriesContext(connection) as ctx:
        (read,) = team_figures(teams=[team], start=DEFAULT_START, end=TODAY, today=TODAY)
    (live,) = _live_figures(
        [team], start=DEFAULT_START, end=TODAY, today=TODAY, with_gaps=True, with_trend=True
    )
    return read, live, len(ctx.captured_queries)


def test_the_refresh_finishes_the_default_period_figures_read_in_one_query(team_world) -> None:
    # given the summary, refreshed for TODAY
    _fill_summary()
    # when the figures of the four weeks up to TODAY are read
    read, live, queries = _default_period_figures(team_world)
    # then one query reads them, finished, and they are the live figures (sparkline included)
    assert queries == 1
    assert read.as_of == TeamDay.objects.get(team=team_world, day=TODAY).state_at
    assert _comparable(read) == _comparable(live)
    assert read.team is team_world
    assert TeamPeriodFigures.objects.get(team=team_world).day == TODAY


def test_a_refresh_of_a_day_in_the_period_finishes_the_figures_again(team_world) -> None:
    # given finished figures, then a visit logged for a day already summarised (n1 visiting
    # c1, a pair already seen in the period, so the state columns stay as they are)
    _fill_summary()
    before, _live, _queries = _default_period_figures(team_world)
    VisitFactory(
        client=Client.objects.get(
            team=team_world, admitted_on=dt.date(2026, 1, 5), discharged_on=None
        ),
        nurse=team_world.memberships.get(seat=1).nurse,
        day=dt.date(2026, 6, 16),
        status=VisitStatus.DONE,
        logged_minutes=60,
        logged_at=local_datetime(dt.date(2026, 6, 16), dt.time(12)),
    )
    # when the night job refreshes that day only
    team_days_refresh(first=dt.date(2026, 6, 16), last=dt.date(2026, 6, 16), today=TODAY)
    # then the finished figures count the new hour, as the live ones do
    after, live, queries = _default_period_figures(team_world)
    assert queries == 1
    assert after.delivered_hours == before.delivered_hours + 1
    assert _comparable(after) == _comparable(live)


def test_a_team_the_summary_no_longer_covers_loses_its_finished_figures(team_world) -> None:
    # given finished figures, then a day of the period missing from the summary
    _fill_summary()
    TeamDay.objects.filter(team=team_world, day=dt.date(2026, 6, 10)).delete()
    # when the 10-minute refresh runs
    summary.team_days_refresh_recent(today=TODAY)
    # then no finished figures are kept, and the page's figures are computed live
    assert not TeamPeriodFigures.objects.filter(team=team_world).exists()
    read, live, _queries = _default_period_figures(team_world)
    assert read.as_of is None
    assert _comparable(read) == _comparable(live)


def test_finished_figures_are_only_those_of_the_default_period_up_to_today(team_world) -> None:
    # given figures finished for TODAY
    _fill_summary()
    # when a page asks for another period, or for the default period of another day
    (other,) = team_figures(teams=[team_world], start=START, end=END, today=TODAY)
    tomorrow = TODAY + dt.timedelta(days=1)
    (next_day,) = team_figures(
        teams=[team_world], start=DEFAULT_START + dt.timedelta(days=1), end=tomorrow, today=tomorrow
    )
    # then they are not read from the finished row (whose period they are not)
    assert (other.start, other.end) == (START, END)
    assert other.delivered_hours == Decimal("3.5")
    assert next_day.as_of is None  # tomorrow has no state yet: computed live


def test_sparkline_names_its_latest_known_week() -> None:
    # given twelve weeks, the last one without contracted hours
    weeks: list[Decimal | None] = [Decimal("0.5")] * 10 + [Decimal("0.624"), None]
    figures = TeamFigures(team=Team(name="T"), start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 28))
    # when / then
    figures.weekly_productivity = weeks
    assert figures.spark_last == "62%"
    figures.weekly_productivity = [None, None]
    assert figures.spark_last == ""
