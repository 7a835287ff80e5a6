"""Without DATABASE_REPLICA_URL (the tests' and embedded settings) nothing changes."""

import pytest
from django.core.cache import cache
from django.db import router
from django.test import RequestFactory

from buurtzorg.dbrouter import (
    ReadYourWritesMiddleware,
    _pin_key,
    pinned_to_primary,
    read_alias,
    replica_configured,
    replica_reads,
)
from teams.models import Team

pytestmark = pytest.mark.django_db


def test_without_a_replica_every_read_goes_to_the_primary(access_world) -> None:
    nurse = access_world.nurse_a
    cache.delete(_pin_key(nurse.pk))
    assert not replica_configured()
    with replica_reads(caught_up=True) as alias:
        assert alias == "default"
        assert router.db_for_read(Team) == "default"
    # and the middleware notes nothing
    request = RequestFactory().post("/somewhere/")
    request.user = nurse
    seen = []
    ReadYourWritesMiddleware(lambda r: seen.append(read_alias()) or None)(request)
    assert seen == ["default"]
    assert not pinned_to_primary(user_id=nurse.pk)
