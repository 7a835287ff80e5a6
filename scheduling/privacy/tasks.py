from celery import shared_task
from django.db import OperationalError

from scheduling.privacy.services import client_erase, clients_due_for_erasure


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def client_erase_task(client_id: int) -> bool:
    """Safe to deliver twice: the service skips a record that is erased or not yet due."""
    return client_erase(client_id=client_id)


@shared_task
def clients_erase_expired_task() -> int:
    """Nightly: queue one erasure per client past retention; returns how many were queued."""
    ids = list(clients_due_for_erasure().values_list("pk", flat=True))
    for client_id in ids:
        client_erase_task.delay(client_id)
    return len(ids)
