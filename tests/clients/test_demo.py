import io

import pytest

from clients import demo as clients_demo
from clients.models import Client, OutcomeRating, bsn_is_valid
from teams import demo as teams_demo

pytestmark = pytest.mark.django_db


def test_demo_clients_are_valid_and_idempotent() -> None:
    # given
    teams_demo.load(io.StringIO())
    # when
    clients_demo.load(io.StringIO())
    clients_demo.load(io.StringIO())
    # then
    clients = list(Client.objects.select_related("team"))
    assert len(clients) == 16
    assert all(bsn_is_valid(c.bsn) for c in clients)
    areas = {c.team.name: set() for c in clients}
    for c in clients:
        areas[c.team.name].add(c.postcode_area)
    assert areas["Team Oost"] <= {"1091", "1092", "1093"}
    assert areas["Team Noord"] <= {"1021", "1022"}
    assert all(c.problems.exists() and c.network.exists() for c in clients)
    assert OutcomeRating.objects.filter(moment="interim").exists()
    assert all(i.is_demo for i in {c.insurer for c in clients})
