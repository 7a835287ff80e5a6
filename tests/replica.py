"""A `replica` database alias for a test, as DATABASE_REPLICA_URL makes one in settings.

Settings are read once per process, so a test cannot set DATABASE_REPLICA_URL: this adds the
alias to the connection handler (and the router to the settings) for the length of a `with`
block, the way settings would have, and removes both after. Enter it before the test's database
fixtures (a module-scoped fixture), so that a test may name it: `django_db(databases=[...])`.
"""

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections
from django.test import override_settings

from buurtzorg.dbrouter import REPLICA


@contextmanager
def replica_alias(**changes: Any) -> Iterator[None]:
    """The primary's (test) database settings with `changes` (e.g. PORT=55432) as `replica`."""
    settings_dict = copy.deepcopy(connections["default"].settings_dict)
    settings_dict["TEST"] = {**settings_dict["TEST"], "MIRROR": "default"}  # as in settings
    settings_dict.update(changes)
    connections.settings[REPLICA] = settings_dict
    try:
        with override_settings(DATABASE_ROUTERS=["buurtzorg.dbrouter.ReplicaRouter"]):
            yield
    finally:
        try:
            connections[REPLICA].close()
            del connections[REPLICA]
        finally:
            del connections.settings[REPLICA]
