"""Celery application. Tasks are plain `shared_task`s in each app's `tasks.py`."""

import os
import re

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buurtzorg.settings.base")

# DjangoTask gives `delay_on_commit`, so tasks are queued only once the transaction that
# created their rows has committed (STYLE: tasks take ids and are queued on commit).
app = Celery("buurtzorg", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def batch_database_settings() -> None:
    """Give this process's PostgreSQL connections the background jobs' parallel workers.

    Web connections start with none (settings: DB_PARALLEL_WORKERS_PER_GATHER); a worker runs
    whole-month aggregates, where PostgreSQL's parallel workers pay for their start. Called
    once in the worker's main process, before its pool forks, so every child inherits it.
    """
    from django.conf import settings  # noqa: PLC0415 - Django is set up by now
    from django.db import connections  # noqa: PLC0415

    workers = settings.DB_BATCH_PARALLEL_WORKERS_PER_GATHER
    for connection in connections.all():
        if connection.vendor != "postgresql":
            continue
        connection.close()
        options = connection.settings_dict.setdefault("OPTIONS", {})
        others = re.sub(r"-c max_parallel_workers_per_gather=\d+", "", options.get("options", ""))
        setting = f"-c max_parallel_workers_per_gather={workers}"
        options["options"] = f"{setting} {others.strip()}".strip()


@worker_init.connect
def _on_worker_init(**kwargs: object) -> None:
    batch_database_settings()
