"""Site-wide tasks."""

import redis
from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from teams.models import Team

# Database errors that a later attempt can get past (a restart, a dropped connection).
RETRYABLE_ERRORS = (OperationalError, InterfaceError)


def background_job(*, soft_minutes: int, hard_minutes: int) -> dict:
    """Options of a long job task (billing run, outcome report, pre-flight check).

    Acknowledged only when done and requeued if its worker dies, so a killed worker's job is
    done again (the services are idempotent); database errors retried with backoff; bounded
    in time (the soft limit lets the service record the failure).
    """
    return {
        "acks_late": True,
        "reject_on_worker_lost": True,
        "autoretry_for": RETRYABLE_ERRORS,
        "retry_backoff": True,
        "retry_backoff_max": 300,
        "retry_jitter": True,
        "max_retries": 5,
        "soft_time_limit": soft_minutes * 60,
        "time_limit": hard_minutes * 60,
    }


@shared_task(acks_late=True)
def worker_probe_task(key: str) -> int:
    """Count active teams and leave the answer in Redis under `key`.

    Proves the whole path (broker, worker, Django, database) end to end; used by the test
    suite and by operators checking a fresh deployment (`manage.py shell`).
    """
    count = Team.objects.filter(is_active=True).count()
    redis.Redis.from_url(settings.REDIS_URL).set(key, count, ex=300)
    return count
