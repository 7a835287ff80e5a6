"""Thin Celery tasks: the summary refresh (see `coaching.summary` for what and why)."""

from celery import shared_task
from django.db import OperationalError

from coaching import summary


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def team_days_refresh_recent_task() -> int:
    """Every 10 minutes: yesterday and today (with state) and the rest of this week, and the
    dashboards' figures of the default period finished from them."""
    return summary.team_days_refresh_recent()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def team_days_refresh_nightly_task() -> int:
    """Every night: the last six weeks again, and the days of new corrections; the
    dashboards' figures finished again, as after the 10-minute refresh."""
    return summary.team_days_refresh_nightly()
