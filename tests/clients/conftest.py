import datetime as dt

import pytest

from clients.models import Client
from tests.conftest import AccessWorld
from tests.factories import ClientFactory, InsurerFactory


@pytest.fixture
def client_record(access_world: AccessWorld) -> Client:
    """An active client of team A (nurse_a's team, coached by coach_a)."""
    return ClientFactory(team=access_world.team_a, admitted_on=dt.date(2026, 1, 5))


@pytest.fixture
def other_client_record(access_world: AccessWorld) -> Client:
    return ClientFactory(team=access_world.team_b)


@pytest.fixture
def insurer():  # noqa: ANN201
    return InsurerFactory(name="Zilveren Kruis (demo)", uzovi="3311")


@pytest.fixture(autouse=True)
def _omaha_vocabulary(request: pytest.FixtureRequest) -> None:
    """Tests here need the vocabulary the data migration loads. A transactional test's flush
    (or a reused database after one) empties it, so reload it when it is missing."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    transactional = marker.kwargs.get("transaction", False)
    request.getfixturevalue("transactional_db" if transactional else "db")
    from omaha.vocabulary import ensure_vocabulary

    ensure_vocabulary()


@pytest.fixture(scope="session", autouse=True)
def _omaha_vocabulary_committed(django_db_setup: None, django_db_blocker) -> None:  # noqa: ANN001
    """Commit the vocabulary once per run when a reused database lost it to a flush, so the
    per-test check above does not reload it inside every rolled-back test transaction."""
    from omaha.vocabulary import ensure_vocabulary

    with django_db_blocker.unblock():
        ensure_vocabulary()
