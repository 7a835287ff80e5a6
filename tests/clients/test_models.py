"""Rules a single row carries are database facts, whatever path writes the row."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from clients.models import (
    BSN_INVALID,
    Client,
    ClientProblem,
    ClientStatus,
    OutcomeRating,
    ProblemStatus,
    bsn_is_valid,
    normalise_postcode,
)
from tests.factories import (
    ClientFactory,
    ClientProblemFactory,
    OutcomeRatingFactory,
    make_bsn,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("bsn", "valid"),
    [
        ("111222333", True),
        ("123456782", True),
        ("123456789", False),
        ("12345678", False),
        ("1234567820", False),
        ("12345678a", False),
        ("000000000", False),
        ("１２３４５６７８２", False),  # full-width digits are not ASCII digits
    ],
)
def test_bsn_eleven_test(bsn: str, valid: bool) -> None:
    assert bsn_is_valid(bsn) is valid


def test_generated_bsns_pass_the_eleven_test() -> None:
    assert all(bsn_is_valid(make_bsn(seed)) for seed in range(200))


def test_database_refuses_a_bsn_failing_the_eleven_test() -> None:
    client_record = ClientFactory()
    with pytest.raises(IntegrityError, match="client_bsn_eleven_test"), transaction.atomic():
        Client.objects.filter(pk=client_record.pk).update(bsn="123456789")


def test_full_clean_reports_an_invalid_bsn() -> None:
    client_record = ClientFactory.build(bsn="123456789")
    with pytest.raises(ValidationError, match=re.escape(str(BSN_INVALID))) as exc:
        client_record.full_clean(exclude=["team", "insurer"])
    assert BSN_INVALID in exc.value.message_dict["bsn"]


@pytest.mark.parametrize(
    ("raw", "stored"), [("1091ab", "1091 AB"), (" 1091 AB ", "1091 AB"), ("1091  ab", "1091 AB")]
)
def test_postcode_is_normalised(raw: str, stored: str) -> None:
    assert normalise_postcode(raw) == stored


def test_database_refuses_a_badly_formed_postcode() -> None:
    client_record = ClientFactory()
    with pytest.raises(IntegrityError, match="client_postcode_format"), transaction.atomic():
        Client.objects.filter(pk=client_record.pk).update(postcode="1091AB")


def test_database_refuses_discharge_before_admission() -> None:
    client_record = ClientFactory(admitted_on=dt.date(2026, 3, 1))
    with (
        pytest.raises(IntegrityError, match="client_discharge_after_admission"),
        transaction.atomic(),
    ):
        Client.objects.filter(pk=client_record.pk).update(
            status=ClientStatus.DISCHARGED, discharged_on=dt.date(2026, 2, 1)
        )


def test_database_refuses_a_second_active_instance_of_a_problem() -> None:
    first = ClientProblemFactory()
    with (
        pytest.raises(IntegrityError, match="clientproblem_one_active_instance"),
        transaction.atomic(),
    ):
        ClientProblem.objects.create(
            client=first.client,
            problem=first.problem,
            scope=first.scope,
            severity=first.severity,
            identified_on=first.identified_on,
        )


def test_a_resolved_instance_does_not_block_a_new_active_one() -> None:
    first = ClientProblemFactory()
    ClientProblem.objects.filter(pk=first.pk).update(
        status=ProblemStatus.RESOLVED, resolved_on=dt.date(2026, 2, 1)
    )
    ClientProblemFactory(client=first.client, problem=first.problem)
    assert first.client.problems.count() == 2


@pytest.mark.parametrize("field", ["knowledge", "behavior", "status", "expected_status"])
@pytest.mark.parametrize("value", [0, 6])
def test_database_refuses_ratings_outside_1_to_5(field: str, value: int) -> None:
    rating = OutcomeRatingFactory()
    with pytest.raises(IntegrityError, match=f"outcomerating_{field}_1_to_5"), transaction.atomic():
        OutcomeRating.objects.filter(pk=rating.pk).update(**{field: value})
