"""Settings for the real Celery workers started by tests/billing/test_worker_kill.py.

The production settings plus: the test media folder (so the test reads what the worker
wrote), a visibility timeout the test can shorten, to stand for "the timeout has passed"
when a restarted worker should get the killed worker's unacknowledged task back, and the
test-only pause inside a billing run's final transaction (tests/billing/worker_pause.py).
"""

import os

from buurtzorg.settings.base import *  # noqa: F403

MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
# Imported by the worker at start, after Django is set up; inert without BILLING_TEST_PAUSE_KEY.
CELERY_IMPORTS = ["tests.billing.worker_pause"]
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("TEST_VISIBILITY_TIMEOUT", str(2 * 60 * 60))),
    # kombu looks for unacknowledged messages past their visibility timeout when the worker
    # starts, and then only every interval x throttle seconds (10 x 10 by default). If the
    # scan at start misses (its Redis mutex is held, or the message is not old enough yet),
    # the next one came after the test's 90 s wait (it failed once in five full runs). Here a
    # scan runs every second, and a mutex left by a killed worker expires after 10 s.
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
    "unacked_mutex_expire": 10,
}
