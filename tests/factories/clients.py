"""Factories for clients and their Omaha record (the patient is `client_record` in tests).

The vocabulary itself is loaded by the omaha data migration, so factories look terms up by
their official code instead of creating them.
"""

import datetime as dt
import random
from decimal import Decimal

import factory

from clients.models import (
    BSN_WEIGHTS,
    CareIndication,
    Client,
    ClientProblem,
    ClientProblemSign,
    Insurer,
    Intervention,
    NetworkContact,
    OutcomeRating,
    RatingMoment,
)
from omaha.models import (
    InterventionCategory,
    InterventionTarget,
    Problem,
    Scope,
    Severity,
    SignSymptom,
)
from omaha.vocabulary import ensure_vocabulary
from tests.factories.teams import NurseFactory, TeamFactory

_bsn_random = random.Random(7513)  # noqa: S311 - test data, not security


def make_bsn(seed: int | None = None) -> str:
    """A BSN that passes the 11-test. Deterministic for a given seed."""
    rng = random.Random(seed) if seed is not None else _bsn_random  # noqa: S311
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        total = sum(d * w for d, w in zip(digits, BSN_WEIGHTS[:8], strict=True))
        check = total % 11
        if check <= 9 and (digits[0] or any(digits)):
            bsn = "".join(map(str, digits)) + str(check)
            if bsn != "000000000":
                return bsn


def problem_by_code(code: str) -> Problem:
    problem = Problem.objects.filter(code=code).first()
    if problem is None:  # a transactional test before this one flushed the vocabulary
        ensure_vocabulary()
        problem = Problem.objects.get(code=code)
    return problem


def sign_by_key(key: str) -> SignSymptom:
    sign = SignSymptom.objects.filter(key=key).first()
    if sign is None:
        ensure_vocabulary()
        sign = SignSymptom.objects.get(key=key)
    return sign


def category_by_code(code: str) -> InterventionCategory:
    if not InterventionCategory.objects.filter(code=code).exists():
        ensure_vocabulary()
    return InterventionCategory.objects.get(code=code)


def target_by_code(code: str) -> InterventionTarget:
    if not InterventionTarget.objects.filter(code=code).exists():
        ensure_vocabulary()
    return InterventionTarget.objects.get(code=code)


class InsurerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Insurer
        django_get_or_create = ["uzovi"]

    name = factory.Sequence(lambda n: f"Insurer {n}")
    uzovi = factory.Sequence(lambda n: f"{9000 + n % 1000:04d}")


class ClientFactory(factory.django.DjangoModelFactory):
    """Writes a client directly (tests of services use the services)."""

    class Meta:
        model = Client

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = dt.date(1940, 5, 17)
    bsn = factory.LazyFunction(make_bsn)
    street = "Dapperstraat"
    house_number = factory.Sequence(lambda n: str(n + 1))
    postcode = "1091 AB"
    city = "Amsterdam"
    phone = "020-1234567"
    insurer = factory.SubFactory(InsurerFactory)
    policy_number = factory.Sequence(lambda n: f"P{n:08d}")
    gp_name = "Huisartsenpraktijk Oost"
    gp_agb = "01012345"
    team = factory.SubFactory(TeamFactory)
    admitted_on = dt.date(2026, 1, 5)


# In tests the patient is `client_record`; this alias reads better there.
ClientRecordFactory = ClientFactory


class CareIndicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareIndication

    client = factory.SubFactory(ClientFactory)
    hours_per_week = Decimal("6.00")
    products = "personal care, nursing"
    valid_from = dt.date(2026, 1, 5)
    valid_until = dt.date(2026, 12, 31)


class NetworkContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkContact

    client = factory.SubFactory(ClientFactory)
    name = factory.Faker("name")
    relation = "daughter"
    phone = "06-12345678"
    helps_with = "groceries"
    available_when = "weekends"


class ClientProblemFactory(factory.django.DjangoModelFactory):
    """A client problem, potential by default (so it needs no signs)."""

    class Meta:
        model = ClientProblem

    client = factory.SubFactory(ClientFactory)
    problem = factory.LazyFunction(lambda: problem_by_code("24"))  # Pain
    scope = Scope.INDIVIDUAL
    severity = Severity.POTENTIAL
    identified_on = dt.date(2026, 1, 5)


class ClientProblemSignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClientProblemSign

    client_problem = factory.SubFactory(ClientProblemFactory, severity=Severity.ACTUAL)
    sign = factory.LazyAttribute(
        lambda o: o.client_problem.problem.signs.filter(is_other=False).first()
    )


class InterventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intervention

    client_problem = factory.SubFactory(ClientProblemFactory)
    category = factory.LazyFunction(lambda: category_by_code("04"))
    target = factory.LazyFunction(lambda: target_by_code("50"))
    description = "Check pain score at every visit"
    frequency = "every visit"


class OutcomeRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutcomeRating

    client_problem = factory.SubFactory(ClientProblemFactory)
    rated_on = dt.date(2026, 1, 5)
    moment = RatingMoment.INTERIM
    knowledge = 2
    behavior = 3
    status = 2
    rated_by = factory.SubFactory(NurseFactory)
