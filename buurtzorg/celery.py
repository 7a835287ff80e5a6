"""Celery application. Tasks are plain `shared_task`s in each app's `tasks.py`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buurtzorg.settings.base")

# DjangoTask gives `delay_on_commit`, so tasks are queued only once the transaction that
# created their rows has committed (STYLE: tasks take ids and are queued on commit).
app = Celery("buurtzorg", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
