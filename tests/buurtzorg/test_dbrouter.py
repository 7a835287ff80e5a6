"""The read replica's router (issue 22, item 3): what goes where, and read-your-writes.

Here the `replica` alias is a second connection to the test database (as the settings' test
mirror makes it); tests/buurtzorg/test_replica_standby.py runs a real streaming standby.
"""

import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import connections, router
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtzorg.audit.models import AccessEvent, Action
from buurtzorg.audit.services import access_log_write
from buurtzorg.dbrouter import (
    REPLICA,
    UNPINNED_TABLES,
    ReadYourWritesMiddleware,
    _pin_key,
    _read_alias,
    pinned_to_primary,
    read_alias,
    replica_reads,
)
from coaching.figures import team_figures
from teams.models import Team
from tests.conftest import ROOT
from tests.factories import ClientFactory, TeamFactory
from tests.replica import replica_alias

pytestmark = pytest.mark.django_db(databases=["default", REPLICA])


@pytest.fixture(scope="module", autouse=True)
def replica(django_db_setup: None) -> Iterator[None]:
    """Before the tests' database fixtures, so that they may name the alias."""
    with replica_alias():
        yield


@pytest.fixture(autouse=True)
def _no_pins(access_world) -> Iterator[None]:  # noqa: ANN001
    """Pins live in the shared cache: none from an earlier test or run."""
    users = [access_world.nurse_a, access_world.nurse_b, access_world.coach_a]
    cache.delete_many([_pin_key(user.pk) for user in users])
    yield
    cache.delete_many([_pin_key(user.pk) for user in users])


@contextmanager
def replica_alias_forced(alias: str) -> Iterator[None]:
    """An outer block that chose `alias` (as `replica_reads` does when it decides)."""
    token = _read_alias.set(alias)
    try:
        yield
    finally:
        _read_alias.reset(token)


def _served(request: HttpRequest, view: Callable[[HttpRequest], None]) -> str:
    """Serve `request` through the middleware; returns the alias the view's heavy reads got."""
    seen: list[str] = []

    def respond(req: HttpRequest) -> HttpResponse:
        view(req)
        seen.append(read_alias())
        return HttpResponse("ok")

    ReadYourWritesMiddleware(respond)(request)
    return seen[0]


def _request(method: str, user: object) -> HttpRequest:
    request = getattr(RequestFactory(), method.lower())("/somewhere/")
    request.user = user
    return request


def test_only_reads_inside_replica_reads_go_to_the_replica() -> None:
    assert router.db_for_read(Team) == "default"
    with replica_reads() as alias:
        assert alias == REPLICA
        assert router.db_for_read(Team) == REPLICA
        assert Team.objects.all().db == REPLICA
        assert router.db_for_write(Team) == "default"
        assert Team.objects.select_for_update().db == "default"
    assert router.db_for_read(Team) == "default"
    # a block inside one that chose the primary (e.g. the replica lagged) stays there
    with replica_reads(), replica_reads() as inner:
        assert inner == REPLICA
    with replica_alias_forced("default"), replica_reads() as inner:
        assert inner == "default"
    assert router.allow_migrate(REPLICA, "teams") is False
    assert router.allow_migrate("default", "teams") is True


def test_the_access_row_of_a_replica_read_is_written_to_the_primary(
    access_world,
) -> None:
    # given: a row read from the replica (so it remembers that database)
    team = TeamFactory()
    with replica_reads(), CaptureQueriesContext(connections[REPLICA]) as on_replica:
        list(Team.objects.filter(pk=team.pk))
        event = access_log_write(actor=access_world.nurse_a, action=Action.VIEW, part="x")
        team_read_there = Team(pk=team.pk, name=team.name)
        team_read_there._state.db = REPLICA
        # when: it is saved again
        team_read_there.save(update_fields=["name"])
    # then: the read went to the replica, both writes to the primary (in this test's
    # transaction: the replica connection does not see them)
    assert any('"teams_team"' in q["sql"] for q in on_replica.captured_queries)
    assert not any(q["sql"].lstrip().startswith("INSERT") for q in on_replica.captured_queries)
    assert AccessEvent.objects.using("default").filter(pk=event.pk).exists()
    assert not AccessEvent.objects.using(REPLICA).filter(pk=event.pk).exists()


def test_a_users_reads_stay_on_the_primary_after_she_writes(access_world, settings):
    settings.READ_YOUR_WRITES_SECONDS = 1
    nurse, other = access_world.nurse_a, access_world.nurse_b
    # a GET before any write reads the replica
    assert _served(_request("GET", nurse), lambda r: None) == REPLICA
    # a POST reads the primary itself, and pins her
    assert _served(_request("POST", nurse), lambda r: None) == "default"
    assert pinned_to_primary(user_id=nurse.pk)
    # her next GET reads the primary; another nurse's the replica
    assert _served(_request("GET", nurse), lambda r: None) == "default"
    assert _served(_request("GET", other), lambda r: None) == REPLICA
    # after READ_YOUR_WRITES_SECONDS she reads the replica again
    time.sleep(1.1)
    assert _served(_request("GET", nurse), lambda r: None) == REPLICA


def test_a_service_write_during_a_get_pins_but_the_access_row_does_not(
    access_world,
) -> None:
    nurse, coach = access_world.nurse_a, access_world.coach_a

    def read_only(request: HttpRequest) -> None:  # writes only its access row
        access_log_write(actor=request.user, action=Action.VIEW, part="record")

    def marks_something(request: HttpRequest) -> None:  # e.g. "mark as read"
        Team.objects.filter(pk=access_world.team_a.pk).update(name="Team A2")

    assert _served(_request("GET", nurse), read_only) == REPLICA
    assert not pinned_to_primary(user_id=nurse.pk)
    assert _served(_request("GET", coach), marks_something) == "default"
    assert pinned_to_primary(user_id=coach.pk)
    assert AccessEvent._meta.db_table in UNPINNED_TABLES


def test_the_middleware_is_in_the_stack(client, access_world) -> None:
    client.force_login(access_world.nurse_a)
    client.post(reverse("logout"))  # any non-safe request; her pin outlives the session
    assert pinned_to_primary(user_id=access_world.nurse_a.pk)


def test_a_replica_that_cannot_be_reached_is_not_read(access_world) -> None:
    # a replica that is not a standby (the test mirror) has everything: it is used
    with replica_reads(caught_up=True) as alias:
        assert alias == REPLICA
    # one that cannot be reached is not: the primary serves the read
    working = connections[REPLICA]
    unreachable = connections.create_connection(REPLICA)
    unreachable.settings_dict = {**working.settings_dict, "PORT": "1"}
    connections[REPLICA] = unreachable
    try:
        for caught_up in (True, False):
            with replica_reads(caught_up=caught_up) as alias:
                assert alias == "default"
    finally:
        unreachable.close()
        connections[REPLICA] = working


def test_the_dashboards_figures_are_read_on_the_replica(access_world) -> None:
    # given: the coach's team, read on the primary (the gate)
    ClientFactory(team=access_world.team_a)
    teams = list(Team.objects.filter(pk=access_world.team_a.pk))
    # when
    with (
        CaptureQueriesContext(connections["default"]) as on_primary,
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
    ):
        team_figures(teams=teams, start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 28))
    # then: the figures' queries went to the replica (which does not see this test's
    # uncommitted rows), none to the primary
    assert len(on_replica.captured_queries) >= 3
    assert on_primary.captured_queries == []


def test_settings_add_the_replica_only_with_its_url() -> None:
    probe = (
        "from django.conf import settings as s;"
        "r = s.DATABASES.get('replica');"
        "print(r and (r['HOST'], r['PORT'], r['TEST']['MIRROR']), "
        "getattr(s, 'DATABASE_ROUTERS', []), s.READ_YOUR_WRITES_SECONDS)"
    )
    base = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "buurtzorg.settings.base",
        "DEBUG": "true",
        "DATABASE_URL": "postgres://app@db:5432/buurtzorg",
    }
    base.pop("DATABASE_REPLICA_URL", None)
    run = [sys.executable, "-c", f"import django; django.setup(); {probe}"]
    without = subprocess.run(run, cwd=ROOT, env=base, capture_output=True, text=True)
    with_url = subprocess.run(
        run,
        cwd=ROOT,
        env={**base, "DATABASE_REPLICA_URL": "postgres://app@db-replica:5432/buurtzorg"},
        capture_output=True,
        text=True,
    )
    assert without.returncode == 0, without.stderr
    assert without.stdout.strip() == "None [] 10"
    assert with_url.returncode == 0, with_url.stderr
    assert with_url.stdout.strip() == (
        "('db-replica', 5432, 'default') ['buurtzorg.dbrouter.ReplicaRouter'] 10"
    )
