"""Write services log their own change: one access row for their actor, in their transaction."""

import datetime as dt
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.test import RequestFactory

from buurtzorg.audit.context import bound_request
from buurtzorg.audit.models import AccessEvent, Action
from clients import services
from clients.models import Client, ClientStatus, OutcomeRating, RatingMoment
from omaha.models import Scope, Severity
from tests.factories import (
    ClientProblemFactory,
    InterventionFactory,
    NetworkContactFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 1)


def _update(nurse: Any, record: Client) -> Any:
    return services.client_update(client=record, actor=nurse, city="Hengelo")


def _discharge(nurse: Any, record: Client) -> Any:
    return services.client_discharge(
        client=record, actor=nurse, discharged_on=TODAY, reason="Moved away"
    )


def _indication(nurse: Any, record: Client) -> Any:
    return services.care_indication_add(
        client=record,
        actor=nurse,
        hours_per_week=Decimal("4"),
        products="Wound care",
        valid_from=TODAY,
    )


def _network_add(nurse: Any, record: Client) -> Any:
    return services.network_contact_add(client=record, actor=nurse, name="Dewi", relation="Child")


def _network_remove(nurse: Any, record: Client) -> Any:
    contact = NetworkContactFactory(client=record)
    return services.network_contact_remove(contact=contact, actor=nurse)


def _problem(nurse: Any, record: Client) -> Any:
    return services.client_problem_add(
        client=record,
        actor=nurse,
        problem="24",
        scope=Scope.INDIVIDUAL,
        severity=Severity.POTENTIAL,
        identified_on=dt.date(2026, 2, 1),
    )


def _resolve(nurse: Any, record: Client) -> Any:
    problem = ClientProblemFactory(client=record)
    return services.client_problem_resolve(client_problem=problem, actor=nurse, resolved_on=TODAY)


def _intervention(nurse: Any, record: Client) -> Any:
    problem = ClientProblemFactory(client=record)
    return services.intervention_add(
        client_problem=problem, actor=nurse, category="04", target="50", description="Check pain"
    )


def _stop(nurse: Any, record: Client) -> Any:
    intervention = InterventionFactory(client_problem=ClientProblemFactory(client=record))
    return services.intervention_stop(intervention=intervention, actor=nurse)


def _rating(nurse: Any, record: Client) -> Any:
    problem = ClientProblemFactory(client=record)
    return services.outcome_rating_add(
        client_problem=problem,
        actor=nurse,
        rated_on=dt.date(2026, 2, 1),
        moment=RatingMoment.ADMISSION,
        knowledge=2,
        behavior=3,
        status=2,
        today=TODAY,
    )


# (write, action, part, detail): the values the pages have always logged
WRITES: list[tuple[Callable[[Any, Client], Any], str, str, str]] = [
    (_update, Action.UPDATE, "personal-details", ""),
    (_discharge, Action.UPDATE, "discharge", ""),
    (_indication, Action.UPDATE, "indication", ""),
    (_network_add, Action.UPDATE, "network", ""),
    (_network_remove, Action.DELETE, "network", ""),
    (_problem, Action.CREATE, "problem", "24"),
    (_resolve, Action.CREATE, "problem-resolve", "24"),
    (_intervention, Action.CREATE, "intervention", "24"),
    (_stop, Action.UPDATE, "intervention", "24"),
    (_rating, Action.CREATE, "rating", "24"),
]


@pytest.mark.parametrize(("write", "action", "part", "detail"), WRITES)
def test_a_write_logs_one_row_for_its_actor(
    access_world, client_record, write: Callable, action: str, part: str, detail: str
) -> None:
    write(access_world.nurse_a, client_record)
    row = AccessEvent.objects.get()
    assert (row.user_id, row.action, row.client_public_id, row.part, row.detail) == (
        access_world.nurse_a.pk,
        action,
        client_record.public_id,
        part,
        detail,
    )


@pytest.mark.parametrize(
    ("write", "field"),
    [(_problem, "identified_by"), (_intervention, "created_by"), (_rating, "rated_by")],
)
def test_a_row_with_an_author_field_records_the_actor(
    access_world, client_record, write: Callable, field: str
) -> None:
    # the problem, care plan line or rating says who made it: the nurse who called the service
    row = write(access_world.nurse_a, client_record)
    row.refresh_from_db()
    assert getattr(row, field) == access_world.nurse_a


def test_registration_is_logged_and_through_the_api_says_so(access_world, insurer) -> None:
    # given a request that came in through the API
    request = RequestFactory().post("/api/clients/")
    data = {
        "first_name": "Jan",
        "last_name": "de Groot",
        "date_of_birth": dt.date(1938, 4, 2),
        "bsn": "111222333",
        "street": "Javastraat",
        "house_number": "12",
        "postcode": "1094ab",
        "city": "Amsterdam",
        "insurer": insurer,
        "policy_number": "ZK-123",
        "admitted_on": dt.date(2026, 2, 1),
    }
    # when
    with bound_request(request, request_id=uuid.uuid4()):
        record = services.client_register(actor=access_world.nurse_a, **data)
    # then
    row = AccessEvent.objects.get()
    assert (row.action, row.client_public_id, row.part, row.detail, row.path) == (
        Action.CREATE,
        record.public_id,
        "registration",
        "api",
        "/api/clients/",
    )


def test_a_refused_write_logs_nothing(access_world, client_record) -> None:
    with pytest.raises(ValidationError, match=str(services.NOT_A_NURSE)):
        _discharge(access_world.coach_a, client_record)
    assert not AccessEvent.objects.exists()


def test_a_change_whose_access_row_fails_is_not_stored(access_world, client_record) -> None:
    refused = DatabaseError("audit table unavailable")
    with mock.patch.object(AccessEvent.objects, "create", side_effect=refused):
        with pytest.raises(DatabaseError, match="audit table unavailable"):
            _discharge(access_world.nurse_a, client_record)
    client_record.refresh_from_db()
    assert client_record.status == ClientStatus.ACTIVE


def test_appending_a_rating_inside_another_service_logs_nothing(
    access_world, client_record
) -> None:
    # a visit's log adds its ratings this way and writes the request's one row itself
    problem = ClientProblemFactory(client=client_record)
    services.outcome_rating_append(
        client_problem=problem,
        actor=access_world.nurse_a,
        rated_on=dt.date(2026, 2, 1),
        moment=RatingMoment.INTERIM,
        knowledge=2,
        behavior=3,
        status=2,
        today=TODAY,
    )
    assert OutcomeRating.objects.filter(client_problem=problem).count() == 1
    assert not AccessEvent.objects.exists()
