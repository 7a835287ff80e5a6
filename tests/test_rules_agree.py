"""One definition per rule: the QuerySets, and billing, dashboards and reports agreeing on them.

A month (March 2026, Europe/Amsterdam) with:
- a billed visit of 60 minutes, corrected twice (to 40, then to 50): the latest correction is
  what happened, so 50 counts everywhere;
- a cancelled visit (30 minutes of services written on it): counts nowhere;
- a visit from 23:30 to 00:30 on the last night of March: March (it starts there);
- a visit at 00:30 local on 1 April (still 31 March in UTC): April, not March.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from clients.models import Client
from coaching import figures, summary
from omaha.reports import aggregates
from omaha.reports.models import OutcomeReport, ReportScope
from scheduling.billing.aggregation import correction_groups, month_groups
from scheduling.models import Visit
from teams.models import Membership, Team
from tests.factories import (
    AdminFactory,
    BackOfficeFactory,
    CareServiceFactory,
    ClientFactory,
    CoachAssignmentFactory,
    CoachFactory,
    MembershipFactory,
    TeamFactory,
    billed_visit,
)

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
MARCH = dt.date(2026, 3, 1)
MARCH_LAST = dt.date(2026, 3, 31)
EXPECTED_MARCH_MINUTES = 50 + 60 + 25  # latest correction, the night visit, a plain visit


@pytest.fixture
def march(access_world) -> dict:
    team = access_world.team_a
    nursing = CareServiceFactory(code="EXV1", name="Nursing (example)")
    client = ClientFactory(team=team, admitted_on=dt.date(2026, 1, 5))
    original = billed_visit(client, dt.date(2026, 3, 3), {nursing: 60})
    Visit.objects.filter(pk=original.pk).update(billed_at=timezone.now())
    first = billed_visit(client, dt.date(2026, 3, 3), {nursing: 40}, corrects=original)
    latest = billed_visit(client, dt.date(2026, 3, 3), {nursing: 50}, corrects=original)
    billed_visit(client, dt.date(2026, 3, 10), {nursing: 30}, status="cancelled")
    billed_visit(client, dt.datetime(2026, 3, 31, 23, 30, tzinfo=AMS), {nursing: 60})
    billed_visit(client, dt.date(2026, 3, 17), {nursing: 25})
    april = billed_visit(client, dt.datetime(2026, 4, 1, 0, 30, tzinfo=AMS), {nursing: 20})
    assert april.starts_at.astimezone(dt.UTC).date() == MARCH_LAST  # UTC still says March
    return {"team": team, "client": client, "first": first, "latest": latest}


def test_billing_dashboards_and_reports_count_the_same_minutes(march) -> None:
    team, client = march["team"], march["client"]
    # billing: the month re-billed in full after the corrections (and a fresh month's groups)
    rebilled = sum(g.minutes for g in correction_groups(pairs=[(client.pk, MARCH)]))
    fresh = sum(g.minutes for g in month_groups(period=MARCH, insurer=None))
    # dashboards: live figures and the daily summary
    now = dt.datetime(2026, 4, 15, tzinfo=AMS)
    live = figures._visits([team.pk], MARCH, MARCH_LAST, now)[team.pk]["minutes"]
    daily = sum(
        row["minutes"] or 0
        for (team_id, _day), row in summary._visit_counts(MARCH, MARCH_LAST, now).items()
        if team_id == team.pk
    )
    # outcome report: hours of care per client
    report = OutcomeReport(
        scope=ReportScope.TEAM, team=team, period_start=MARCH, period_end=MARCH_LAST
    )
    reported = aggregates.minutes_per_client(report)

    assert rebilled == EXPECTED_MARCH_MINUTES
    # the original is billed, so a fresh March run holds the rest (the latest correction too)
    assert fresh == EXPECTED_MARCH_MINUTES
    assert live == daily == EXPECTED_MARCH_MINUTES
    assert reported == {client.pk: EXPECTED_MARCH_MINUTES}


def test_effective_visits_keep_only_the_latest_correction(march) -> None:
    effective = Visit.objects.effective().filter(client=march["client"])
    minutes = sorted(effective.values_list("logged_minutes", flat=True))
    assert minutes == [20, 25, 50, 60]  # April's 20 too; no 60 (billed), 40 or cancelled 30
    assert march["latest"] in effective
    assert march["first"] not in effective


def test_a_cancelled_correction_takes_the_visit_out() -> None:
    client = ClientFactory()
    service = CareServiceFactory(code="EXV9")
    original = billed_visit(client, dt.date(2026, 3, 3), {service: 60})
    billed_visit(client, dt.date(2026, 3, 3), {service: 45}, corrects=original)
    billed_visit(client, dt.date(2026, 3, 3), {service: 60}, corrects=original, status="cancelled")
    assert not Visit.objects.effective().filter(client=client).exists()


def test_a_correction_of_a_correction_replaces_both() -> None:
    client = ClientFactory()
    service = CareServiceFactory(code="EXV8")
    original = billed_visit(client, dt.date(2026, 3, 3), {service: 60})
    first = billed_visit(client, dt.date(2026, 3, 3), {service: 45}, corrects=original)
    second = billed_visit(client, dt.date(2026, 3, 3), {service: 35}, corrects=first)
    assert list(Visit.objects.effective().filter(client=client)) == [second]


# --- the QuerySets ------------------------------------------------------------------------


def test_active_memberships_are_those_not_ended() -> None:
    current = MembershipFactory(started_on=dt.date(2026, 1, 1))
    ended = MembershipFactory(started_on=dt.date(2025, 1, 1), ended_on=dt.date(2026, 2, 1))
    assert set(Membership.objects.active()) == {current}
    assert set(Membership.objects.active(on=dt.date(2026, 1, 15))) == {current, ended}
    assert set(Membership.objects.active(on=dt.date(2025, 6, 1))) == {ended}
    assert set(Membership.objects.active(on=dt.date(2026, 2, 2))) == {current}


def test_teams_visible_per_role(access_world) -> None:
    w = access_world
    assert list(Team.objects.visible_to(w.nurse_a)) == [w.team_a]
    assert list(Team.objects.visible_to(w.coach_a)) == [w.team_a]
    assert list(Team.objects.visible_to(w.back_office)) == []
    assert list(Team.objects.visible_to(w.admin)) == []
    assert list(Team.objects.visible_to(AnonymousUser())) == []


def test_a_coach_of_several_teams_sees_each_once_and_not_others(access_world) -> None:
    w = access_world
    third = TeamFactory()
    CoachAssignmentFactory(team=third, coach=w.coach_a)
    assert sorted(t.pk for t in Team.objects.visible_to(w.coach_a)) == sorted(
        [w.team_a.pk, third.pk]
    )
    assert w.team_b not in Team.objects.visible_to(w.coach_a)


def test_a_nurse_whose_membership_ended_sees_no_team_and_no_clients(access_world) -> None:
    w = access_world
    ClientFactory(team=w.team_a)
    Membership.objects.filter(nurse=w.nurse_a).update(ended_on=timezone.localdate())
    assert not Team.objects.visible_to(w.nurse_a).exists()
    assert not Client.objects.visible_to(w.nurse_a).exists()


def test_a_nurse_who_moved_sees_her_new_team_only(access_world) -> None:
    w = access_world
    Membership.objects.filter(nurse=w.nurse_a).update(ended_on=timezone.localdate())
    MembershipFactory(team=w.team_b, nurse=w.nurse_a, seat=2)
    assert list(Team.objects.visible_to(w.nurse_a)) == [w.team_b]


def test_clients_visible_per_role(access_world) -> None:
    w = access_world
    mine, theirs = ClientFactory(team=w.team_a), ClientFactory(team=w.team_b)
    assert list(Client.objects.visible_to(w.nurse_a)) == [mine]
    assert list(Client.objects.visible_to(w.coach_a)) == [mine]
    assert set(Client.objects.visible_to(w.back_office)) == {mine, theirs}
    assert list(Client.objects.visible_to(w.admin)) == []
    assert list(Client.objects.visible_to(AnonymousUser())) == []
    w.back_office.is_active = False
    assert list(Client.objects.visible_to(w.back_office)) == []


def test_other_roles_see_no_team(db) -> None:
    coach = CoachFactory()  # coaches nothing
    assert not Team.objects.visible_to(coach).exists()
    assert not Team.objects.visible_to(BackOfficeFactory()).exists()
    assert not Team.objects.visible_to(AdminFactory()).exists()
