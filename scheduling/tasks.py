"""Thin Celery tasks: ids in, a service does the work."""

from celery import shared_task
from django.db import OperationalError
from django.db.models import Q
from django.utils import timezone

from scheduling import hours
from scheduling.models import VisitSeries
from scheduling.services import rota, visits
from teams.models import Team


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def rota_check_all_teams_task() -> int:
    """Nightly: queue one coverage check per active team (each safe to run twice)."""
    team_ids = list(Team.objects.filter(is_active=True).values_list("pk", flat=True))
    for team_id in team_ids:
        rota_notify_gaps_task.delay(team_id)
    return len(team_ids)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def rota_notify_gaps_task(team_id: int) -> int:
    return len(rota.rota_notify_gaps(team_id=team_id))


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def series_materialise_all_task() -> int:
    """Nightly: keep the next 28 days of every running series filled (one task per series)."""
    today = timezone.localdate()
    ids = list(
        VisitSeries.objects.filter(Q(until__isnull=True) | Q(until__gte=today)).values_list(
            "pk", flat=True
        )
    )
    for series_id in ids:
        series_materialise_task.delay(series_id)
    return len(ids)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def series_materialise_task(series_id: int) -> int:
    """Idempotent: (series, occurrence date) is unique, so a redelivery adds nothing."""
    return visits.series_materialise(series_id=series_id)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def indication_check_all_teams_task() -> int:
    """Nightly: queue one "indications ending within 4 weeks" notice per active team."""
    team_ids = list(Team.objects.filter(is_active=True).values_list("pk", flat=True))
    for team_id in team_ids:
        indication_notify_ending_task.delay(team_id)
    return len(team_ids)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def indication_notify_ending_task(team_id: int) -> int:
    return hours.indication_notify_ending(team_id=team_id)
