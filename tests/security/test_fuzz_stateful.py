"""A stateful schemathesis phase against a live server with DEBUG off, as a nurse and as back
office (issue 20, "what the own suite missed").

test_fuzz_api.py sends each operation on its own, in-process. Here schemathesis links the
operations from the schema (dependency analysis: a POST's answer feeds the GET/PUT/DELETE of
what it made, a list's ids feed the detail) and walks chains of calls over HTTP against
pytest-django's live server, with each role's own API token. The checks on every step: no 5xx,
answers match the schema, no debug page or traceback (DEBUG is off as in production). Bounded:
a few scenarios of a few steps per role, well under 60 seconds together.
"""

import time
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.security.world import World

pytestmark = pytest.mark.django_db(transaction=True)

SCENARIOS = 10
STEPS = 6
SECONDS_PER_ROLE = 15
DEBUG_MARKERS = ("Traceback", "You're seeing this error because you have", "DEBUG = True")


def _no_debug_page(ctx: Any, response: Any, case: Any) -> bool:
    text = response.text or ""
    leaked = [marker for marker in DEBUG_MARKERS if marker in text]
    assert not leaked, f"{case.method} {case.path}: debug output in the answer ({leaked})"
    return True


@pytest.mark.parametrize("role", ["nurse_a", "back_office"])
def test_stateful_walk_of_the_api_as(role: str, live_server: Any) -> None:
    # given a DEBUG-off live server with the matrix world, and her token
    assert django_settings.DEBUG is False
    world = World()
    for obj in ("visit_a", "shift_a", "thread_a", "leave_a", "billing_run"):
        getattr(world, obj)
    token = Token.objects.create(user=world.user(role)).key
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/")
    deadline = time.monotonic() + SECONDS_PER_ROLE
    steps: list[str] = []

    class Walk(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": {"Authorization": f"Token {token}"}, "timeout": 10}

        def before_call(self, case: Any) -> None:
            if time.monotonic() > deadline:  # the time bound: later steps are skipped
                pytest.skip(f"time bound reached after {len(steps)} steps")

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            steps.append(f"{case.method} {case.path} {response.status_code}")
            case.validate_response(
                response,
                checks=[not_a_server_error, response_schema_conformance],
                additional_checks=[_no_debug_page],
            )

    # when schemathesis walks chains of linked calls
    try:
        Walk.run(
            settings=hypothesis_settings(
                max_examples=SCENARIOS,
                stateful_step_count=STEPS,
                deadline=None,
                derandomize=True,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
                database=None,
            )
        )
    except pytest.skip.Exception:
        pass  # bounded in time: what ran was checked
    # then every step passed its checks, and the walk did reach the API
    print(f"stateful walk as {role}: {len(steps)} calls")  # noqa: T201
    assert len(steps) >= 10, steps
