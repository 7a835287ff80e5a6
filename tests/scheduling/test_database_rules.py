"""Who may be booked on a visit, and when, held by PostgreSQL (issue 20, item 12).

These write rows directly (factories, queryset updates), as a shell, a migration or a bug in a
service would: the database itself refuses. The services' friendly messages are tested with
the services.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from clients.models import ClientStatus
from clients.services import client_discharge
from scheduling.models import Visit, VisitStatus
from tests.factories import (
    ClientFactory,
    CoverArrangementFactory,
    LeaveFactory,
    MembershipFactory,
    TeamFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 2)


@pytest.fixture
def team():
    return TeamFactory()


@pytest.fixture
def nurse(team):
    return MembershipFactory(team=team, seat=1, started_on=dt.date(2026, 1, 1)).nurse


@pytest.fixture
def client_record(team):
    return ClientFactory(team=team)


def _refused(rule: str, **visit) -> None:
    with pytest.raises(IntegrityError, match=rule), transaction.atomic():
        VisitFactory(**visit)


def test_a_visit_for_another_team_than_its_clients_is_refused(client_record, nurse) -> None:
    _refused("visit_team_is_client_team", client=client_record, team=TeamFactory(), day=DAY)
    assert not Visit.objects.exists()


def test_a_visit_for_a_nurse_of_another_team_is_refused(client_record) -> None:
    other = MembershipFactory(team=TeamFactory(), seat=1, started_on=dt.date(2026, 1, 1)).nurse
    _refused("visit_nurse_member_that_day", client=client_record, nurse=other, day=DAY)


def test_a_visit_after_her_membership_ended_is_refused_before_it_is_allowed(
    team, client_record
) -> None:
    # given a nurse who left the team on 1 June
    left = MembershipFactory(
        team=team, seat=2, started_on=dt.date(2026, 1, 1), ended_on=dt.date(2026, 6, 1)
    ).nurse
    # then: 1 June is still hers, 2 June is not
    VisitFactory(client=client_record, nurse=left, day=dt.date(2026, 6, 1))
    _refused("visit_nurse_member_that_day", client=client_record, nurse=left, day=DAY)


def test_a_nurse_of_a_covering_team_needs_an_accepted_arrangement(team, client_record) -> None:
    covering = TeamFactory()
    helper = MembershipFactory(team=covering, seat=1, started_on=dt.date(2026, 1, 1)).nurse
    proposal = CoverArrangementFactory(covering_team=covering, covered_team=team, proposed=True)
    _refused("visit_nurse_member_that_day", client=client_record, nurse=helper, day=DAY)
    # when the covered team accepts
    proposal.delete()
    CoverArrangementFactory(covering_team=covering, covered_team=team)
    # then
    assert VisitFactory(client=client_record, nurse=helper, day=DAY).nurse == helper


def test_a_visit_during_her_leave_is_refused_and_leave_over_her_visits_too(
    nurse, client_record
) -> None:
    LeaveFactory(nurse=nurse)  # 1 to 8 June
    _refused("visit_not_during_leave", client=client_record, nurse=nurse, day=DAY)
    # and the other way round: leave over a booked visit
    VisitFactory(client=client_record, nurse=nurse, day=dt.date(2026, 6, 10))
    with pytest.raises(IntegrityError, match="visit_not_during_leave"), transaction.atomic():
        LeaveFactory(
            nurse=nurse,
            starts_at=dt.datetime(2026, 6, 10, tzinfo=dt.UTC),
            ends_at=dt.datetime(2026, 6, 11, tzinfo=dt.UTC),
        )


def test_a_visit_after_the_clients_discharge_is_refused(nurse, client_record) -> None:
    client_record.status = ClientStatus.DISCHARGED
    client_record.discharged_on = dt.date(2026, 6, 1)
    client_record.discharge_reason = "moved"
    client_record.save()
    VisitFactory(client=client_record, nurse=nurse, day=dt.date(2026, 6, 1))  # that day: fine
    _refused("visit_not_after_discharge", client=client_record, nurse=nurse, day=DAY)


def test_moving_an_existing_visit_to_another_nurse_is_checked(nurse, client_record) -> None:
    visit = VisitFactory(client=client_record, nurse=nurse, day=DAY)
    stranger = MembershipFactory(team=TeamFactory(), seat=1, started_on=dt.date(2026, 1, 1)).nurse
    with pytest.raises(IntegrityError, match="visit_nurse_member_that_day"), transaction.atomic():
        Visit.objects.filter(pk=visit.pk).update(nurse=stranger)
    visit.refresh_from_db()
    assert visit.nurse == nurse


def test_logging_or_cancelling_a_visit_of_a_nurse_who_left_still_works(team, client_record) -> None:
    # given her visit, then her membership ends before it
    membership = MembershipFactory(team=team, seat=2, started_on=dt.date(2026, 1, 1))
    visit = VisitFactory(client=client_record, nurse=membership.nurse, day=DAY)
    membership.ended_on = dt.date(2026, 6, 1)
    membership.save()
    # when it is cancelled (nothing about who or when changes), the database lets it through
    Visit.objects.filter(pk=visit.pk).update(status=VisitStatus.CANCELLED)
    # but it cannot be un-cancelled for her
    with pytest.raises(IntegrityError, match="visit_nurse_member_that_day"), transaction.atomic():
        Visit.objects.filter(pk=visit.pk).update(status=VisitStatus.PLANNED)


def test_a_discharge_with_visits_after_it_is_refused_by_the_database(nurse, client_record) -> None:
    VisitFactory(client=client_record, nurse=nurse, day=DAY)
    with pytest.raises(IntegrityError, match="visit_not_after_discharge"), transaction.atomic():
        type(client_record).objects.filter(pk=client_record.pk).update(
            status=ClientStatus.DISCHARGED,
            discharged_on=dt.date(2026, 6, 1),
            discharge_reason="moved",
        )


def test_discharging_cancels_her_planned_visits_after_the_day(nurse, client_record) -> None:
    # given a visit on the discharge day and one after it
    on_the_day = VisitFactory(client=client_record, nurse=nurse, day=dt.date(2026, 6, 1))
    after = VisitFactory(client=client_record, nurse=nurse, day=DAY)
    # when
    client_discharge(
        client=client_record, actor=nurse, discharged_on=dt.date(2026, 6, 1), reason="moved"
    )
    # then
    on_the_day.refresh_from_db()
    after.refresh_from_db()
    assert (on_the_day.status, after.status) == (VisitStatus.PLANNED, VisitStatus.CANCELLED)


def test_a_visit_done_after_the_discharge_day_stops_the_discharge(nurse, client_record) -> None:
    VisitFactory(client=client_record, nurse=nurse, day=DAY, status=VisitStatus.IN_PROGRESS)
    with pytest.raises(ValidationError, match="started or done after 2026-06-01"):
        client_discharge(
            client=client_record, actor=nurse, discharged_on=dt.date(2026, 6, 1), reason="moved"
        )
    client_record.refresh_from_db()
    assert client_record.discharged_on is None
