"""factory_boy factories shared by every test module."""

import datetime as dt
from decimal import Decimal

import factory

from teams.models import (
    CoachAssignment,
    Membership,
    Neighbourhood,
    Organisation,
    PostcodeArea,
    Role,
    Team,
    User,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.NURSE
    password = factory.django.Password("correct-horse-battery")


class NurseFactory(UserFactory):
    role = Role.NURSE
    username = factory.Sequence(lambda n: f"nurse{n}")


class CoachFactory(UserFactory):
    role = Role.COACH
    username = factory.Sequence(lambda n: f"coach{n}")


class BackOfficeFactory(UserFactory):
    role = Role.BACK_OFFICE
    username = factory.Sequence(lambda n: f"backoffice{n}")


class AdminFactory(UserFactory):
    role = Role.ADMIN
    username = factory.Sequence(lambda n: f"admin{n}")


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbourhood

    name = factory.Sequence(lambda n: f"Neighbourhood {n}")
    population_estimate = 8000


class PostcodeAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostcodeArea

    code = factory.Sequence(lambda n: str(1000 + n % 9000))
    neighbourhood = factory.SubFactory(NeighbourhoodFactory)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    is_active = True


class MembershipFactory(factory.django.DjangoModelFactory):
    """Writes a membership directly. Seats must be given explicitly when several share a team."""

    class Meta:
        model = Membership

    team = factory.SubFactory(TeamFactory)
    nurse = factory.SubFactory(NurseFactory)
    seat = 1
    # Long before the visits tests write (VisitFactory defaults to 2026-06-02): the database
    # refuses a visit for a nurse who is not a member that day.
    started_on = dt.date(2020, 1, 1)
    contracted_hours = Decimal("24")


class CoachAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachAssignment

    coach = factory.SubFactory(CoachFactory)
    team = factory.SubFactory(TeamFactory)


def team_with_nurses(n: int, **team_kwargs: object) -> tuple[Team, list[User]]:
    """A team with `n` nurses in seats 1..n."""
    team = TeamFactory(**team_kwargs)
    nurses = [MembershipFactory(team=team, seat=seat).nurse for seat in range(1, n + 1)]
    return team, nurses


class OrganisationFactory(factory.django.DjangoModelFactory):
    """The organisation's own details, complete (the one row)."""

    class Meta:
        model = Organisation
        django_get_or_create = ("key",)

    key = 1
    name = "Wijkzorg West"
    address = "Zorgstraat 12"
    postcode = "1234 AB"
    city = "Almelo"
    kvk_number = "12345678"
    agb_code = "12345678"
    iban = "NL91ABNA0417164300"
