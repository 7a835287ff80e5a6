"""Tasks of the teams app."""

import redis
from celery import shared_task
from django.conf import settings

from teams.models import Team


@shared_task(acks_late=True)
def worker_probe_task(key: str) -> int:
    """Count active teams and leave the answer in Redis under `key`.

    Proves the whole path (broker, worker, Django, database) end to end; used by the test
    suite and by operators checking a fresh deployment (`manage.py shell`).
    """
    count = Team.objects.filter(is_active=True).count()
    redis.Redis.from_url(settings.REDIS_URL).set(key, count, ex=300)
    return count
