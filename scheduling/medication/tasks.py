"""Thin Celery tasks: ids in, a service does the work."""

from celery import shared_task
from django.db import OperationalError

from scheduling.medication import notices
from teams.models import Team


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def overdue_doses_notify_all_task() -> int:
    """Every evening: queue one overdue-dose check per active team."""
    team_ids = list(Team.objects.filter(is_active=True).values_list("pk", flat=True))
    for team_id in team_ids:
        overdue_doses_notify_task.delay(team_id)
    return len(team_ids)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def overdue_doses_notify_task(team_id: int) -> int:
    return len(notices.overdue_doses_notify(team_id=team_id))
