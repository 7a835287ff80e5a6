"""Application logs carry no BSN, client name, session key or API token.

Runs after the rest of tests/security (and the apps before it alphabetically); the
session-end hook in conftest.py repeats the scan over the whole run.
"""

import logging

import pytest

from tests.factories import ClientFactory
from tests.security.conftest import CAPTURED, SECRETS, log_leaks

pytestmark = pytest.mark.django_db


def test_the_scan_would_see_a_leak() -> None:
    # given a client, and a log line that names her
    record = ClientFactory()
    before = len(CAPTURED)
    logging.getLogger("buurtzorg.test").warning("visiting %s", record.bsn)
    # then the scan finds it
    assert any(record.bsn in line for line in CAPTURED[before:])
    assert any(record.bsn in leak for leak in log_leaks())
    # (remove the planted line so the real scan below judges only the application)
    del CAPTURED[before:]


def test_logs_of_the_run_so_far_carry_no_personal_data() -> None:
    assert SECRETS, "no personal data was recorded: is the capture wired up?"
    assert CAPTURED, "no log lines were captured"
    leaks = log_leaks()
    assert not leaks, "\n".join(leaks[:20])
