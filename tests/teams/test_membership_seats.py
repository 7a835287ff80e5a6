"""A seat holds one nurse on every day (issue 20, item 12): a membership with a future end keeps
its seat until then, so a 13th nurse cannot be "member on" any day."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from teams.models import Membership, Team
from teams.services import team_add_nurse
from tests.factories import MembershipFactory, NurseFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_a_seat_held_until_a_future_end_cannot_be_given_to_another_nurse() -> None:
    # given a membership in seat 1 ending in a month
    team = TeamFactory()
    today = timezone.localdate()
    MembershipFactory(
        team=team, seat=1, started_on=today.replace(day=1), ended_on=today + dt.timedelta(days=30)
    )
    # when another nurse is written into seat 1 from today / then the database refuses
    with pytest.raises(IntegrityError, match="membership_seat_one_nurse_each_day"):
        with transaction.atomic():
            MembershipFactory(team=team, seat=1, started_on=today)
    # but from the day after that end, the seat is free
    MembershipFactory(team=team, seat=1, started_on=today + dt.timedelta(days=31))


def test_thirteenth_nurse_is_refused_while_a_leaver_still_holds_her_seat() -> None:
    # given 12 nurses, one of whom leaves at the end of next month
    team = TeamFactory()
    today = timezone.localdate()
    memberships = [
        MembershipFactory(team=team, seat=seat, started_on=today.replace(day=1))
        for seat in range(1, Team.MAX_NURSES + 1)
    ]
    Membership.objects.filter(pk=memberships[0].pk).update(ended_on=today + dt.timedelta(days=40))
    # when / then: no 13th nurse today
    with pytest.raises(ValidationError, match="already has 12 nurses"):
        team_add_nurse(team=team, nurse=NurseFactory())
    # and one starting after the leaver's last day takes her seat
    joined = team_add_nurse(
        team=team, nurse=NurseFactory(), started_on=today + dt.timedelta(days=41)
    )
    assert joined.seat == 1
    on = today + dt.timedelta(days=20)
    assert Membership.objects.active(on=on).filter(team=team).count() == Team.MAX_NURSES
