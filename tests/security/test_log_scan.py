"""Application logs carry no BSN, client name, session key or API token.

Order-independent: each test judges only the log lines captured while it ran, after driving
the paths that log (page views, a 404 for another team's client, token sign-in and API use).
The whole run is scanned by the session-end hook in tests/security/conftest.py, which sees
every line of every test wherever it ran in the (random) order.
"""

import logging

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.conftest import AccessWorld
from tests.factories import ClientFactory
from tests.security.conftest import CAPTURED, SECRETS

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's password


def leaks_in(lines: list[str]) -> list[str]:
    """The lines among `lines` that carry a personal detail or secret the tests created."""
    return [
        f"{kind} in log: {line[:300]}"
        for line in lines
        for secret, kind in SECRETS.items()
        if secret and len(secret) >= 6 and secret in line
    ]


def test_the_scan_would_see_a_leak() -> None:
    # given a client, and a log line that names her
    record = ClientFactory()
    before = len(CAPTURED)
    logging.getLogger("buurtzorg.test").warning("visiting %s", record.bsn)
    # then the scan finds it
    assert any(record.bsn in line for line in CAPTURED[before:])
    assert any(record.bsn in leak for leak in leaks_in(CAPTURED[before:]))
    # (remove the planted line so the session-end scan judges only the application)
    del CAPTURED[before:]


def test_a_nurses_day_logs_no_personal_data(client, access_world: AccessWorld) -> None:
    # given a client of team A, and a nurse of each team
    record = ClientFactory(team=access_world.team_a)
    before = len(CAPTURED)
    # when nurse A opens the record, nurse B asks for it (404, which Django logs), and nurse A
    # signs in to the API with a token and reads it there
    client.force_login(access_world.nurse_a)
    assert client.get(record.get_absolute_url()).status_code == 200
    client.force_login(access_world.nurse_b)
    assert client.get(record.get_absolute_url()).status_code == 404
    api = APIClient()
    token = api.post(
        reverse("api-token"), {"username": access_world.nurse_a.username, "password": PASSWORD}
    )
    assert token.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    detail = reverse("api-client-detail", args=[record.public_id])
    assert api.get(detail).status_code == 200
    # then lines were logged, the capture knew the secrets, and no line carries one
    lines = CAPTURED[before:]
    assert lines, "no log lines were captured: is the capture wired up?"
    assert record.bsn in SECRETS
    leaks = leaks_in(lines)
    assert not leaks, "\n".join(leaks[:20])
