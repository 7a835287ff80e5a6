"""Thin Celery tasks: ids in, services do the work."""

from celery import shared_task

from buurtzorg.tasks import background_job
from scheduling.billing import services


@shared_task(**background_job(soft_minutes=20, hard_minutes=25))
def billing_run_build_task(billing_run_id: int) -> None:
    """Safe to deliver twice or after a killed worker: the service claims only queued or
    running runs and replaces the draft in one transaction."""
    services.billing_run_build(billing_run_id=billing_run_id)


@shared_task(acks_late=True)
def billing_run_schedule_previous_month_task() -> None:
    """Beat: a draft run for last month (all insurers) on the 1st of each month."""
    services.billing_run_schedule_previous_month()


@shared_task(**background_job(soft_minutes=10, hard_minutes=12))
def billing_run_check_task(billing_run_id: int) -> None:
    """The pre-flight check of a draft or finalised run, kept on the run. Idempotent."""
    services.billing_run_check(billing_run_id=billing_run_id)
