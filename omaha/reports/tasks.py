"""Thin Celery tasks: ids in, services do the work."""

from celery import shared_task

from buurtzorg.tasks import background_job
from omaha.reports import services


@shared_task(**background_job(soft_minutes=15, hard_minutes=20))
def outcome_report_build_task(report_id: int, language: str | None = None) -> None:
    """Safe to deliver twice: the service claims only queued or running reports. `language`
    is the requester's: a worker has no request to take it from."""
    services.outcome_report_build(report_id=report_id, language=language)
