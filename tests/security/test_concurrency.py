"""50 concurrent attempts to create the same thing: exactly one wins, the rest are refused
cleanly (a ValidationError with the service's message), never a 500-style IntegrityError."""

import datetime as dt
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from scheduling.billing.models import BillingRun, Contract
from scheduling.billing.services import billing_run_request, contract_create
from teams.models import Membership
from teams.services import team_add_nurse
from tests.factories import (
    BackOfficeFactory,
    InsurerFactory,
    NurseFactory,
    TeamFactory,
)

ATTEMPTS = 50


def _race(attempt: Callable[[], object]) -> tuple[list[object], list[Exception]]:
    """Run `attempt` in ATTEMPTS threads released together; each thread has its connection."""
    barrier = threading.Barrier(ATTEMPTS)
    wins: list[object] = []
    refusals: list[Exception] = []
    lock = threading.Lock()

    def one() -> None:
        try:
            barrier.wait(timeout=30)
            result = attempt()
        except Exception as exc:  # noqa: BLE001 - sorted below
            with lock:
                refusals.append(exc)
        else:
            with lock:
                wins.append(result)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=ATTEMPTS) as pool:
        for future in [pool.submit(one) for _ in range(ATTEMPTS)]:
            future.result()
    return wins, refusals


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_seats_for_one_nurse_give_one_membership() -> None:
    # given
    team, nurse = TeamFactory(), NurseFactory()
    # when
    wins, refusals = _race(lambda: team_add_nurse(team=team, nurse=nurse))
    # then
    assert len(wins) == 1
    assert len(refusals) == ATTEMPTS - 1
    assert all(isinstance(exc, ValidationError) for exc in refusals), refusals[:3]
    assert Membership.objects.filter(nurse=nurse, ended_on__isnull=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_contracts_for_one_insurer_year_give_one() -> None:
    insurer, back_office = InsurerFactory(), BackOfficeFactory()
    wins, refusals = _race(lambda: contract_create(insurer=insurer, year=2027, actor=back_office))
    assert len(wins) == 1
    assert all(isinstance(exc, ValidationError) for exc in refusals), refusals[:3]
    assert Contract.objects.filter(insurer=insurer, year=2027).count() == 1


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_billing_run_requests_give_one_run() -> None:
    # billing_run_request is idempotent by design: every caller gets the one run.
    insurer, back_office = InsurerFactory(), BackOfficeFactory()
    period = dt.date(2025, 1, 1)
    wins, refusals = _race(
        lambda: billing_run_request(period=period, insurer=insurer, actor=back_office)
    )
    assert all(isinstance(exc, ValidationError) for exc in refusals), refusals[:3]
    assert len(wins) + len(refusals) == ATTEMPTS
    assert BillingRun.objects.filter(period=period, insurer=insurer).count() == 1
