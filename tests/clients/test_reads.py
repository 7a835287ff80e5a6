"""Read services of client records: gate, one access row and the data, in one transaction.

Each read writes exactly one access row for its actor, with the part the access-log pages
show; a record the actor may not read answers 404 and writes no row; and a read whose row
cannot be written returns nothing.
"""

import uuid
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.db import DatabaseError
from django.http import Http404
from django.test import RequestFactory

from buurtzorg.audit.context import bound_request
from buurtzorg.audit.models import AccessEvent, Action
from clients import reads
from clients.models import Client
from tests.conftest import AccessWorld
from tests.factories import (
    ClientFactory,
    ClientProblemFactory,
    InterventionFactory,
    OutcomeRatingFactory,
)

pytestmark = pytest.mark.django_db

NOT_FOUND = "No Client matches the given query."


def _rich(client_record: Client) -> Client:
    problem = ClientProblemFactory(client=client_record)
    InterventionFactory(client_problem=problem)
    OutcomeRatingFactory(client_problem=problem)
    return client_record


def _open(actor: Any, client_record: Client) -> Any:
    return reads.client_record_open(actor=actor, public_id=client_record.public_id)


def _detail(actor: Any, client_record: Client) -> Any:
    return reads.client_detail_read(actor=actor, public_id=client_record.public_id)


def _problems(actor: Any, client_record: Client) -> Any:
    return reads.client_problems_read(actor=actor, public_id=client_record.public_id)


def _care_plan(actor: Any, client_record: Client) -> Any:
    return reads.care_plan_read(actor=actor, public_id=client_record.public_id)


def _ratings(actor: Any, client_record: Client) -> Any:
    return reads.client_ratings_read(actor=actor, public_id=client_record.public_id)


def _export(actor: Any, client_record: Client) -> Any:
    return reads.client_record_export(actor=actor, public_id=client_record.public_id)


def _form(actor: Any, client_record: Client) -> Any:
    return reads.record_form_open(
        actor=actor, public_id=client_record.public_id, form="personal-details"
    )


def _problem_form(actor: Any, client_record: Client) -> Any:
    problem = client_record.problems.get()
    return reads.record_form_open(
        actor=actor, public_id=client_record.public_id, form="rating", problem_id=problem.public_id
    )


# (read, who may read it, action, part, detail)
READS: list[tuple[Callable[[Any, Client], Any], str, str, str, str]] = [
    (_open, "coach_a", Action.VIEW, "record", ""),
    (_open, "back_office", Action.VIEW, "administrative", ""),
    (_detail, "nurse_a", Action.VIEW, "record", ""),
    (_problems, "nurse_a", Action.VIEW, "problems", ""),
    (_care_plan, "coach_a", Action.VIEW, "care-plan", ""),
    (_ratings, "nurse_a", Action.VIEW, "ratings", ""),
    (_export, "nurse_a", Action.EXPORT, "omaha-record", "FHIR JSON (HL7 oms)"),
    (_form, "nurse_a", Action.VIEW, "personal-details-form", ""),
]
# (read, someone who may not read it: 404 and no row)
REFUSED = [
    (_open, "nurse_b"),
    (_open, "admin"),
    (_detail, "coach_b"),
    (_problems, "back_office"),
    (_care_plan, "nurse_b"),
    (_ratings, "back_office"),
    (_export, "back_office"),
    (_form, "coach_a"),  # coaches read records but never edit them
    (_problem_form, "nurse_b"),
]


@pytest.mark.parametrize(("read", "who", "action", "part", "detail"), READS)
def test_a_read_writes_one_access_row_for_its_actor(
    access_world: AccessWorld,
    client_record: Client,
    read: Callable,
    who: str,
    action: str,
    part: str,
    detail: str,
) -> None:
    # given
    actor = getattr(access_world, who)
    _rich(client_record)
    # when
    data = read(actor, client_record)
    # then
    assert data
    row = AccessEvent.objects.get()
    assert (row.user_id, row.action, row.client_public_id, row.part, row.detail) == (
        actor.pk,
        action,
        client_record.public_id,
        part,
        detail,
    )


@pytest.mark.parametrize(("read", "who"), REFUSED)
def test_a_record_the_actor_may_not_read_is_404_and_writes_no_row(
    access_world: AccessWorld, client_record: Client, read: Callable, who: str
) -> None:
    _rich(client_record)
    with pytest.raises(Http404, match=NOT_FOUND):
        read(getattr(access_world, who), client_record)
    assert not AccessEvent.objects.exists()


def test_a_record_that_does_not_exist_looks_the_same(access_world: AccessWorld) -> None:
    missing = ClientFactory.build()
    with pytest.raises(Http404, match=NOT_FOUND):
        _open(access_world.nurse_a, missing)
    assert not AccessEvent.objects.exists()


def test_the_list_logs_one_row_naming_the_search_and_page(
    access_world: AccessWorld, client_record: Client, other_client_record: Client
) -> None:
    # when
    listing = reads.client_list_read(
        actor=access_world.nurse_a, query="", status="active", problem_code="24", page=1
    )
    # then only her own team's clients, and one row that names the search
    assert client_record not in listing.rows  # no active problem 24
    row = AccessEvent.objects.get()
    assert (row.action, row.part, row.client_public_id) == (Action.LIST, "client-list", None)
    assert row.detail == "q='' status='active' problem='24' page=1"
    # and back office cannot filter on a (clinical) problem
    everyone = reads.client_list_read(actor=access_world.back_office, problem_code="24")
    assert {c.pk for c in everyone.rows} == {client_record.pk, other_client_record.pk}
    assert AccessEvent.objects.latest("id").detail == "q='' status='' problem='' page=1"


def test_a_read_through_the_api_says_so(access_world: AccessWorld, client_record: Client) -> None:
    request = RequestFactory().get(f"/api/clients/{client_record.public_id}/problems/")
    with bound_request(request, request_id=uuid.uuid4()):
        reads.client_problems_read(actor=access_world.nurse_a, public_id=client_record.public_id)
        reads.client_list_read(actor=access_world.nurse_a, query="x")
    details = list(AccessEvent.objects.order_by("id").values_list("detail", "path"))
    assert details == [
        ("api", request.path),
        ("api q='x' status='' problem=''", request.path),
    ]


@pytest.mark.parametrize(("read", "who", "action", "part", "detail"), READS)
def test_a_read_whose_access_row_fails_returns_nothing(
    access_world: AccessWorld,
    client_record: Client,
    read: Callable,
    who: str,
    action: str,
    part: str,
    detail: str,
) -> None:
    # given the database refuses the access row
    _rich(client_record)
    refused = DatabaseError("audit table unavailable")
    with mock.patch.object(AccessEvent.objects, "create", side_effect=refused):
        # when / then the read fails instead of returning the record unlogged
        with pytest.raises(DatabaseError, match="audit table unavailable"):
            read(getattr(access_world, who), client_record)
    assert not AccessEvent.objects.exists()
