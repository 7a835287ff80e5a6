"""The GDPR export is a read service: one access row, 404 and no row for others, no data
when the row cannot be written."""

from unittest import mock

import pytest
from django.db import DatabaseError
from django.http import Http404

from buurtzorg.audit.models import AccessEvent, Action
from scheduling.privacy.reads import client_data_export
from tests.factories import ClientFactory, ClientProblemFactory, InterventionFactory

pytestmark = pytest.mark.django_db

NOT_FOUND = "No Client matches the given query."


@pytest.fixture
def record(access_world):  # noqa: ANN001, ANN201
    record = ClientFactory(team=access_world.team_a)
    InterventionFactory(client_problem=ClientProblemFactory(client=record))
    return record


@pytest.mark.parametrize(("who", "kind"), [("nurse_a", "json"), ("coach_a", "pdf")])
def test_the_export_writes_one_access_row(access_world, record, who: str, kind: str) -> None:
    actor = getattr(access_world, who)
    data = client_data_export(actor=actor, public_id=record.public_id, kind=kind)
    assert data["client"]["public_id"] == str(record.public_id)
    assert len(data["problems"][0]["interventions"]) == 1
    row = AccessEvent.objects.get()
    assert (row.user_id, row.action, row.client_public_id, row.part, row.detail) == (
        actor.pk,
        Action.EXPORT,
        record.public_id,
        "gdpr-export",
        kind,
    )


@pytest.mark.parametrize("who", ["nurse_b", "coach_b", "back_office", "admin"])
def test_the_export_is_404_and_unlogged_for_who_may_not_read_it(
    access_world, record, who: str
) -> None:
    with pytest.raises(Http404, match=NOT_FOUND):
        client_data_export(
            actor=getattr(access_world, who), public_id=record.public_id, kind="json"
        )
    assert not AccessEvent.objects.exists()


def test_an_export_whose_access_row_fails_returns_nothing(access_world, record) -> None:
    refused = DatabaseError("audit table unavailable")
    with mock.patch.object(AccessEvent.objects, "create", side_effect=refused):
        with pytest.raises(DatabaseError, match="audit table unavailable"):
            client_data_export(actor=access_world.nurse_a, public_id=record.public_id, kind="json")
    assert not AccessEvent.objects.exists()
