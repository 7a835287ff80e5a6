"""Settings for the real Celery workers started by tests/billing/test_worker_kill.py.

The production settings plus: the test media folder (so the test reads what the worker
wrote) and a visibility timeout the test can shorten, to stand for "the timeout has passed"
when a restarted worker should get the killed worker's unacknowledged task back.
"""

import os

from buurtzorg.settings.base import *  # noqa: F403

MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("TEST_VISIBILITY_TIMEOUT", str(2 * 60 * 60)))
}
