"""Test settings: only what makes tests faster or hermetic. The database and Redis are real."""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/buurtzorg")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")

from buurtzorg.settings.base import *  # noqa: E402,F403

# The suite's assertions read English; the Dutch interface is tested by activating "nl"
# (tests/i18n). A request without Accept-Language or a user's choice falls back to this.
LANGUAGE_CODE = "en"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests run Celery eagerly unless a test starts a real worker (tests/test_celery_worker.py).
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / ".test-private-media"  # noqa: F405
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Django empties tables with TRUNCATE between transactional tests; the audit log refuses
# TRUNCATE unless the session turns this switch on (see audit migration 0002). Only here.
_options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
_options["options"] = f"{_options.get('options', '')} -c buurtzorg.audit_truncate=on".strip()
# N+1 query detector (django-zeal) for every request of the whole suite (test client, API
# client, live server): a relation loaded lazily in a loop, or a .get() repeated from one line,
# within one request raises zeal.NPlusOneError, which fails the test that made the request.
# Counting per request (not per test) keeps a test that calls a service twice from looking
# like an N+1.
INSTALLED_APPS = [*INSTALLED_APPS, "zeal"]  # noqa: F405
MIDDLEWARE = [*MIDDLEWARE, "zeal.middleware.zeal_middleware"]  # noqa: F405
ZEAL_RAISE = True
ZEAL_SHOW_ALL_CALLERS = False
# Deliberate per-row locks, not read N+1s: booking a visit locks the nurse's and the client's
# row (select_for_update().get()) so two planners cannot double-book; a recurring series books
# each occurrence that way, in its own savepoint, so one clash does not stop the others (and
# sets that visit's planned interventions). Known cost: a few queries per occurrence.
ZEAL_ALLOWLIST = [
    {"model": "teams.User", "field": "get()"},
    {"model": "clients.Client", "field": "get()"},
    {"model": "scheduling.Visit", "field": "planned_interventions"},
    # A refused incident action or close (empty text, already closed): the service's locked
    # read is rolled back with the refusal, and the page it re-renders opens the incident
    # through the gate (reads.incident_open, one access row). Two reads of one row, no loop.
    {"model": "incidents.Incident", "field": "get()"},
]
