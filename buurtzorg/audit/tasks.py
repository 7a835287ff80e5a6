from celery import shared_task
from django.db import OperationalError

from buurtzorg.audit.services import audit_partitions_maintain


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def audit_partitions_maintain_task() -> dict[str, list[str]]:
    """Nightly: the access log's partitions ahead and retention. Safe to deliver twice: an
    existing partition is left alone and a dropped one is not found again."""
    made, dropped = audit_partitions_maintain()
    return {"made": made, "dropped": dropped}
