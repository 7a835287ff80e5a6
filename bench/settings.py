"""Settings for benchmarks and the load test: production settings (DEBUG off) on plain HTTP.

The only differences from production are the HTTPS-only flags, because the benchmarks talk
to the app in-process or over loopback HTTP, and a URLconf that adds one baseline view.
"""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40)
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

from buurtzorg.settings.base import *  # noqa: E402,F403

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
CONN_MAX_AGE = 600
DATABASES["default"]["CONN_MAX_AGE"] = 600  # noqa: F405
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
