"""Thin Celery tasks: the summary refresh (see `coaching.summary` for what and why)."""

from celery import shared_task
from django.db import OperationalError

from coaching import figures, summary


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def team_days_refresh_recent_task() -> int:
    """Every 10 minutes: yesterday and today (with state) and the rest of this week; then
    queue the warming of the dashboards' figures (on the default queue: the refresh is a
    batch job, the warming a short one)."""
    written = summary.team_days_refresh_recent()
    dashboard_figures_warm_task.delay()
    return written


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def team_days_refresh_nightly_task() -> int:
    """Every night: the last six weeks again, and the days of new corrections; then the
    dashboards' figures, as after the 10-minute refresh."""
    written = summary.team_days_refresh_nightly()
    dashboard_figures_warm_task.delay()
    return written


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def dashboard_figures_warm_task() -> int:
    """Every active team's figures for the default period, into the cache. Idempotent."""
    return figures.dashboard_figures_warm()
