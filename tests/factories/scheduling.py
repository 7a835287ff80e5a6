"""Factories for the scheduling app (rota, care services; visits once clients exist)."""

import datetime as dt

import factory
from django.utils import timezone

from scheduling.models import (
    CareService,
    CoverageRule,
    CoverArrangement,
    CoverStatus,
    Leave,
    Shift,
    ShiftKind,
    Visit,
    VisitStatus,
)
from scheduling.services.rota import local_datetime
from tests.factories.teams import MembershipFactory, NurseFactory, TeamFactory


class CareServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareService
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"EX{n:03d}")
    name = factory.Sequence(lambda n: f"Example service {n}")
    is_billable = True
    is_example = True


class ShiftFactory(factory.django.DjangoModelFactory):
    """Writes a shift directly (no service checks); give nurse and team together."""

    class Meta:
        model = Shift

    class Params:
        day = dt.date(2026, 6, 1)

    team = factory.SubFactory(TeamFactory)
    nurse = factory.LazyAttribute(lambda o: MembershipFactory(team=o.team, seat=1).nurse)
    kind = ShiftKind.EARLY
    starts_at = factory.LazyAttribute(lambda o: local_datetime(o.day, dt.time(7)))
    ends_at = factory.LazyAttribute(lambda o: local_datetime(o.day, dt.time(15)))


class CoverageRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoverageRule

    team = factory.SubFactory(TeamFactory)
    starts_at = dt.time(7)
    ends_at = dt.time(23)
    min_nurses = 2


class CoverArrangementFactory(factory.django.DjangoModelFactory):
    """An accepted arrangement (the kind that counts); `proposed=True` for one awaiting consent."""

    class Meta:
        model = CoverArrangement

    class Params:
        proposed = factory.Trait(status=CoverStatus.PROPOSED, accepted_by=None, accepted_at=None)

    covering_team = factory.SubFactory(TeamFactory)
    covered_team = factory.SubFactory(TeamFactory)
    valid_from = dt.date(2026, 1, 1)
    valid_until = None
    status = CoverStatus.ACCEPTED
    accepted_by = factory.LazyAttribute(lambda o: NurseFactory())
    accepted_at = factory.LazyFunction(timezone.now)


class LeaveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Leave

    starts_at = factory.LazyFunction(lambda: local_datetime(dt.date(2026, 6, 1), dt.time()))
    ends_at = factory.LazyFunction(lambda: local_datetime(dt.date(2026, 6, 8), dt.time()))
    reason = "Holiday"


def day_and_night_rules(team: object, day: int = 2, night: int = 1) -> None:
    """The usual rule: `day` nurses 07:00-23:00 and `night` nurses 23:00-07:00."""
    CoverageRuleFactory(team=team, starts_at=dt.time(7), ends_at=dt.time(23), min_nurses=day)
    CoverageRuleFactory(team=team, starts_at=dt.time(23), ends_at=dt.time(7), min_nurses=night)


def nursing_team(n: int, since: dt.date = dt.date(2020, 1, 1), **team_kwargs: object) -> tuple:
    """A team with `n` nurses whose memberships started long ago (tests use fixed dates)."""
    team = TeamFactory(**team_kwargs)
    nurses = [
        MembershipFactory(team=team, seat=seat, started_on=since).nurse for seat in range(1, n + 1)
    ]
    return team, nurses


class VisitFactory(factory.django.DjangoModelFactory):
    """Writes a visit directly; give client and nurse of the same team for realistic data."""

    class Meta:
        model = Visit

    class Params:
        day = dt.date(2026, 6, 2)
        at = dt.time(9)

    client = factory.SubFactory("tests.factories.clients.ClientFactory")
    team = factory.LazyAttribute(lambda o: o.client.team)
    nurse = None
    starts_at = factory.LazyAttribute(lambda o: local_datetime(o.day, o.at))
    planned_minutes = 30
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(minutes=o.planned_minutes))
    status = VisitStatus.PLANNED
