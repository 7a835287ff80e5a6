"""A policy number too long for the declaration file is a pre-flight flag, not a failed run
(issue 20, item 12). The client record refuses such numbers now; this is the net for one that
got in before (the test drops the constraint inside its transaction to make one)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from clients.models import Client
from scheduling.billing import services
from scheduling.billing.models import RunStatus
from scheduling.billing.selectors import billing_run_preflight

MARCH = dt.date(2026, 3, 1)


def test_a_too_long_policy_number_is_flagged_and_blocks_finalising(
    billing_world, access_world, django_capture_on_commit_callbacks
) -> None:
    # given a client whose policy number (from before the rule) has 20 characters
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # (no pending events before ALTER)
        cursor.execute(
            "ALTER TABLE clients_client DROP CONSTRAINT client_policy_number_fits_declaration"
        )
    Client.objects.filter(pk=billing_world.bram.pk).update(policy_number="X" * 20)
    # when the month is billed
    with django_capture_on_commit_callbacks(execute=True):
        run = services.billing_run_request(period=MARCH, insurer=None, actor=None).run
    run.refresh_from_db()
    # then the run is a draft (not failed), and the pre-flight names the client
    assert run.status == RunStatus.DRAFT, run.error
    flagged = [p for p in billing_run_preflight(run=run) if p.code == "policy_number_too_long"]
    assert len(flagged) == 1
    assert "Bram" in flagged[0].message
    assert flagged[0].blocking
    with pytest.raises(ValidationError, match="cannot be finalised"):
        services.billing_run_finalise(run=run, actor=access_world.back_office)
