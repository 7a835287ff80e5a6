"""Options shared by the apps' long background jobs (no tasks of its own)."""

from django.db import InterfaceError, OperationalError

# Database errors that a later attempt can get past (a restart, a dropped connection).
RETRYABLE_ERRORS = (OperationalError, InterfaceError)


def background_job(*, soft_minutes: int, hard_minutes: int) -> dict:
    """Options of a long job task (billing run, outcome report, pre-flight check).

    Acknowledged only when done and requeued if its worker dies, so a killed worker's job is
    done again (the services are idempotent); database errors retried with backoff; bounded
    in time (the soft limit lets the service record the failure).
    """
    return {
        "acks_late": True,
        "reject_on_worker_lost": True,
        "autoretry_for": RETRYABLE_ERRORS,
        "retry_backoff": True,
        "retry_backoff_max": 300,
        "retry_jitter": True,
        "max_retries": 5,
        "soft_time_limit": soft_minutes * 60,
        "time_limit": hard_minutes * 60,
    }
