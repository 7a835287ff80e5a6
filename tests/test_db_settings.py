"""PostgreSQL session settings: web connections without parallel workers, workers with them."""

import os
import subprocess
import sys

from django.db import connection

from tests.conftest import ROOT, _test_database_url

PROBE = """
import django
django.setup()
from celery.signals import worker_init
import buurtzorg.celery  # noqa: F401 - connects the worker_init handler
from django.db import connection

def show(name):
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]

before = show("max_parallel_workers_per_gather")
worker_init.send(sender=None)
print(before, show("max_parallel_workers_per_gather"), show("buurtzorg.audit_truncate"))
"""


def _show(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


def test_web_connections_start_without_parallel_workers(db) -> None:
    assert _show("max_parallel_workers_per_gather") == "0"
    # the test settings' own option is kept beside it
    assert _show("buurtzorg.audit_truncate") == "on"


def test_a_celery_worker_gets_parallel_workers_and_keeps_other_options(db) -> None:
    # given: a process with the test settings, as a Celery worker starts
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "buurtzorg.settings.test",
        "DATABASE_URL": _test_database_url(),
        "DB_BATCH_PARALLEL_WORKERS_PER_GATHER": "2",
    }
    # when: the worker_init signal fires (as `celery worker` sends it before its pool starts)
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    # then: its connections have two parallel workers; the other options are still set
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "2", "on"]
