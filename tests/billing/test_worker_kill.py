"""A real worker is killed (SIGKILL) in the middle of a billing run; a new worker finishes it.

Nothing of the killed attempt is visible, nothing is lost and nothing is doubled: the lines
were written inside the run's final transaction, which dies with the worker's connection, and
the task (acks_late) is delivered again to the next worker.
"""

import os
import signal
import subprocess
import sys
import threading
import time
import uuid

import pytest
import redis
from django.conf import settings

from buurtzorg.celery import app
from scheduling.billing import services
from scheduling.billing.models import BillingRun, InvoiceLine, RunFile, RunStatus
from tests.billing.conftest import HAND_TOTALS, MARCH
from tests.conftest import ROOT, _test_database_url

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def start_worker(**env_overrides: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.billing.worker_settings",
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "DEBUG": "true",
        "CONN_MAX_AGE": "0",
        **env_overrides,
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "buurtzorg",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--loglevel=INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    deadline = time.monotonic() + 60
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        lines.append(line)
        if "ready." in line:
            break
        if proc.poll() is not None:
            pytest.fail("worker exited early:\n" + "".join(lines))
    proc.log_lines = lines  # type: ignore[attr-defined]
    threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True).start()
    return proc


def wait_for(predicate, timeout: float, what: str, proc=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    log = "".join(proc.log_lines[-40:]) if proc is not None else ""
    pytest.fail(f"timed out waiting for {what}\n{log}")


def test_killed_worker_mid_run_leaves_nothing_partial_and_a_new_worker_completes_it(
    billing_world,
) -> None:
    store = redis.Redis.from_url(settings.REDIS_URL)
    key = f"billing-pause-{uuid.uuid4()}"
    # the worker pauses after writing the lines, inside the final transaction (worker_pause.py)
    first = start_worker(BILLING_TEST_PAUSE_KEY=key)
    second = None
    try:
        # given: a run queued through the broker (not eagerly)
        app.conf.task_always_eager = False
        try:
            run = services.billing_run_request(period=MARCH, insurer=None, actor=None).run
        finally:
            app.conf.task_always_eager = True
        # when: the worker is inside the final transaction, lines written but not committed
        wait_for(lambda: store.get(f"{key}:reached"), 60, "the pause point", first)
        assert InvoiceLine.objects.filter(run=run).count() == 0
        assert BillingRun.objects.get(pk=run.pk).status == RunStatus.RUNNING
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        # then: nothing of the killed attempt is visible
        run.refresh_from_db()
        assert run.status == RunStatus.RUNNING
        assert InvoiceLine.objects.filter(run=run).count() == 0
        assert RunFile.objects.filter(run=run).count() == 0
        # when: a new worker starts after the visibility timeout has passed
        store.set(f"{key}:release", 1, ex=300)
        second = start_worker(BILLING_TEST_PAUSE_KEY=key, TEST_VISIBILITY_TIMEOUT="2")
        wait_for(
            lambda: BillingRun.objects.get(pk=run.pk).status == RunStatus.DRAFT,
            90,
            "the redelivered run to finish",
            second,
        )
        # then: complete, once: the hand-computed lines and totals, two attempts
        run.refresh_from_db()
        assert run.attempts == 2
        assert run.line_count == 6  # one line per client, service and day (HAND_TOTALS)
        assert InvoiceLine.objects.filter(run=run).count() == 6
        assert run.total_amount == sum(HAND_TOTALS.values())
        assert RunFile.objects.filter(run=run).count() == 6
        assert all(f.file.name.startswith(f"billing/{run.public_id}/2/") for f in run.files.all())
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
        store.delete(f"{key}:reached", f"{key}:release")
