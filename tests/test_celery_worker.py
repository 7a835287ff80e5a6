"""A real Celery worker on Redis runs a task end to end against the test database."""

import time
import uuid

import pytest
import redis

from buurtzorg.celery import app
from teams.tasks import worker_probe_task
from tests.factories import TeamFactory

pytestmark = pytest.mark.celery_worker


def test_real_worker_runs_a_task_against_the_database(celery_worker_process, settings) -> None:
    # given: three active teams and one inactive one, committed so the worker sees them
    TeamFactory.create_batch(3)
    TeamFactory(is_active=False)
    key = f"test-probe-{uuid.uuid4()}"
    store = redis.Redis.from_url(settings.REDIS_URL)
    # when: the task goes through the broker (not eagerly)
    app.conf.task_always_eager = False
    try:
        worker_probe_task.delay(key)
    finally:
        app.conf.task_always_eager = True
    # then: the worker counted the active teams in the test database
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and store.get(key) is None:
        time.sleep(0.2)
    assert store.get(key) == b"3", "".join(celery_worker_process.log_lines[-30:])
    assert any(
        "worker_probe_task" in line and "succeeded" in line
        for line in celery_worker_process.log_lines
    )
