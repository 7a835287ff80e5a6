"""Worker queues (issue 22, item 4): long jobs on `batch`, notices and cache warming on
`default`, each with its own worker, so a billing run never holds up a notice."""

import datetime as dt
import time

import pytest
from django.conf import settings
from django.db import connection, transaction

from buurtzorg.celery import app
from coaching.models import Post
from scheduling.billing.models import BillingRun, RunStatus
from scheduling.billing.tasks import billing_run_build_task
from scheduling.tasks import rota_notify_gaps_task
from tests.factories import day_and_night_rules, nursing_team


def _queue_of(task_name: str) -> str:
    """The queue the app's router sends `task_name` to (as `.delay()` does)."""
    route = app.amqp.router.route({}, task_name)
    return route["queue"].name


@pytest.mark.parametrize(
    "task_name",
    [
        "scheduling.billing.tasks.billing_run_build_task",
        "scheduling.billing.tasks.billing_run_check_task",
        "omaha.reports.tasks.outcome_report_build_task",
        "coaching.tasks.team_days_refresh_recent_task",
        "coaching.tasks.team_days_refresh_nightly_task",
    ],
)
def test_long_jobs_go_to_the_batch_queue(task_name: str) -> None:
    assert _queue_of(task_name) == "batch"


@pytest.mark.parametrize(
    "task_name",
    [
        "scheduling.tasks.rota_notify_gaps_task",
        "scheduling.medication.tasks.overdue_doses_notify_task",
        "teams.tasks.worker_probe_task",
    ],
)
def test_notices_and_cache_warming_go_to_the_default_queue(task_name: str) -> None:
    assert _queue_of(task_name) == "default"


def test_every_batch_route_names_a_registered_task() -> None:
    # A route is matched by name only: a typo (or a renamed task) would silently send the
    # long job to the default queue.
    app.loader.import_default_modules()
    unknown = [name for name in settings.BATCH_TASKS if name not in app.tasks]
    assert unknown == []


def _waiting_lock_count() -> int:
    """Backends of this database waiting for a row lock (the blocked billing run)."""
    with connection.cursor() as cursor:
        # Inside a transaction the statistics views are a snapshot taken at first use.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def _wait_for(check: object, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return True
        time.sleep(0.2)
    return False


@pytest.mark.celery_worker
def test_a_notice_is_delivered_while_a_billing_run_occupies_the_batch_worker(
    celery_queue_workers: dict,
) -> None:
    # given: a team whose rota has gaps (rules, no shifts) and a queued billing run
    team, _ = nursing_team(1)
    day_and_night_rules(team)
    run = BillingRun.objects.create(period=dt.date(2026, 1, 1))
    logs = {queue: proc.log_lines for queue, proc in celery_queue_workers.items()}
    app.conf.task_always_eager = False
    try:
        with transaction.atomic():
            # The test holds the run's row lock, so the billing task blocks in its claim
            # (SELECT … FOR UPDATE) and keeps the batch worker busy for as long as we like.
            BillingRun.objects.select_for_update().get(pk=run.pk)
            billing_run_build_task.delay(run.pk)
            # Wait until the batch worker is stuck inside the billing run.
            ok = _wait_for(lambda: _waiting_lock_count() == 1)
            assert ok, "".join(logs["batch"][-30:])
            # when: the nightly check of that team posts its notice
            rota_notify_gaps_task.delay(team.pk)
            # then: the default worker delivers it while the billing run is still waiting
            notice = Post.objects.filter(thread__space__team=team, thread__system_key="rota-gaps")
            assert _wait_for(notice.exists), "".join(logs["default"][-30:])
            assert _waiting_lock_count() == 1
            assert BillingRun.objects.get(pk=run.pk).status == RunStatus.PENDING
        # and once the lock is gone the batch worker finishes the billing run
        assert _wait_for(lambda: BillingRun.objects.get(pk=run.pk).status == RunStatus.DRAFT), (
            "".join(logs["batch"][-30:])
        )
    finally:
        app.conf.task_always_eager = True
    # each job ran on its own queue's worker, never on the other one
    billing, notice_task = (
        "Task scheduling.billing.tasks.billing_run_build_task[",
        "Task scheduling.tasks.rota_notify_gaps_task[",
    )
    assert _wait_for(lambda: any(billing in line and "succeeded" in line for line in logs["batch"]))
    assert any(notice_task in line and "succeeded" in line for line in logs["default"])
    assert not any(billing in line for line in logs["default"])
    assert not any(notice_task in line for line in logs["batch"])
