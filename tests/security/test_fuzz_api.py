"""Fuzz the API against its own OpenAPI schema (schemathesis), authenticated as a nurse.

Every operation in /api/schema/ gets bounded generated examples (valid and invalid input,
random ids). The checks: no 5xx, and every documented response matches its schema.
"""

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.security.world import World

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 8
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture
def nurse_token() -> Iterator[str]:
    """A nurse of team A with a client, a visit, a shift and a thread to find.

    The WSGI app closes the database connection after each request (close_old_connections),
    which would end the test's transaction; Django's test client unhooks it the same way.
    """
    world = World()
    for obj in ("visit_a", "shift_a", "thread_a", "leave_a"):
        getattr(world, obj)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield Token.objects.create(user=world.nurse_a).key
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_operation_survives_generated_input(case, nurse_token: str) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Token {nurse_token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )


def test_the_fuzz_covers_the_api() -> None:
    """The test above is parametrized with one test per operation of the schema, so the whole
    API is fuzzed when the schema lists it. Judged from the schema, not from calls recorded by
    tests that ran before (the suite runs in random order)."""
    operations = {result.ok().label for result in schema.get_all_operations()}
    assert len(operations) >= 20
    assert "GET /api/clients/{id}/" in operations
