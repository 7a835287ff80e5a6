"""Test-only: make a real worker's billing run stop inside its final transaction.

tests/billing/worker_settings.py lists this module in CELERY_IMPORTS, so the worker imports it
at start (after Django is set up). When BILLING_TEST_PAUSE_KEY names a Redis key, the run's
`_store_lines` is wrapped: the lines are written as usual, then the worker announces
`<key>:reached` and waits (up to 2 minutes) for `<key>:release`, still inside the transaction
that `_build` opened, so the test can SIGKILL it with the lines written but not committed.
Production code knows nothing of this.
"""

import os
import time

import redis
from django.conf import settings

from scheduling.billing import services
from scheduling.billing.models import BillingRun

PAUSE_KEY = os.environ.get("BILLING_TEST_PAUSE_KEY", "")
_store_lines = services._store_lines


def _store_lines_then_pause(run: BillingRun, lines: list) -> None:
    _store_lines(run, lines)
    store = redis.Redis.from_url(settings.REDIS_URL)
    if store.get(f"{PAUSE_KEY}:release"):
        return
    store.set(f"{PAUSE_KEY}:reached", run.pk, ex=300)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not store.get(f"{PAUSE_KEY}:release"):
        time.sleep(0.1)


if PAUSE_KEY:
    services._store_lines = _store_lines_then_pause
