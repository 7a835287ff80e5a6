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
