"""Settings for benchmarks and the load test: production settings (DEBUG off) on plain HTTP.

The only differences from production are the HTTPS-only flags, because the benchmarks talk
to the app in-process or over loopback HTTP, a URLconf that adds one baseline view, and the
`bench` app (its `generate_scale` command).
"""

import os

# Forced, not defaulted: the Makefile exports DEBUG=true for `make run`, and a benchmark with
# DEBUG on measures Django's query log and debug templates, not what production runs.
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40)
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# Production keeps its cache and sessions in Redis; so do the benchmarks (Celery stays eager,
# as REDIS_URL is empty). Keys are prefixed with the database name, so copies of the bench
# database measured side by side never read each other's cache.
os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/15")

from buurtzorg.settings.base import *  # noqa: E402,F403

# The benchmark tooling is an app of its own (`manage.py generate_scale`), installed only here.
INSTALLED_APPS = [*INSTALLED_APPS, "bench.apps.BenchConfig"]  # noqa: F405
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
CONN_MAX_AGE = 600
if not CACHES["default"].get("KEY_PREFIX"):  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = DATABASES["default"]["NAME"]  # noqa: F405
DATABASES["default"]["CONN_MAX_AGE"] = 600  # noqa: F405
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
