"""Thin Celery tasks: ids in, services do the work."""

from celery import shared_task

from omaha.reports import services


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=services.RETRYABLE_ERRORS,
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=15 * 60,
    time_limit=20 * 60,
)
def outcome_report_build_task(report_id: int) -> None:
    """Safe to deliver twice: the service claims only queued or running reports."""
    services.outcome_report_build(report_id=report_id)
