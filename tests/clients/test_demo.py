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


def test_demo_clients_made_before_key_info_get_it_on_the_next_load() -> None:
    # given the demo loaded by a version that had no key info, and one client whose nurse
    # has since typed her own
    teams_demo.load(io.StringIO())
    clients_demo.load(io.StringIO())
    expected = {c.pk: (c.key_safe_note, c.allergies, c.alarm_note) for c in Client.objects.all()}
    Client.objects.update(key_safe_note="", allergies="", alarm_note="")
    typed = Client.objects.order_by("pk").first()
    Client.objects.filter(pk=typed.pk).update(allergies="Pinda's")
    # when the demo is loaded again
    out = io.StringIO()
    clients_demo.load(out)
    # then every other client has the key info a new demo client gets, and hers is kept
    now = {c.pk: (c.key_safe_note, c.allergies, c.alarm_note) for c in Client.objects.all()}
    assert now.pop(typed.pk) == ("", "Pinda's", "")
    expected.pop(typed.pk)
    assert now == expected
    assert sum(any(info) for info in expected.values()) >= 12
    assert f"key info filled in for {sum(any(info) for info in expected.values())}" in (
        out.getvalue()
    )
    # and a third load changes nothing
    updated = dict(Client.objects.values_list("pk", "updated_at"))
    out = io.StringIO()
    clients_demo.load(out)
    assert "0 demo clients created, key info filled in for 0" in out.getvalue()
    assert dict(Client.objects.values_list("pk", "updated_at")) == updated
