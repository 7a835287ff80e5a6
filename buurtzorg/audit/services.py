"""Writing the audit trail. One INSERT per call; a failed write raises, so the request fails."""

from datetime import datetime
from uuid import UUID

from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from buurtzorg.audit.models import AccessEvent


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    request: HttpRequest | None,
    action: str,
    client_public_id: UUID | None = None,
    part: str = "",
    detail: str = "",
    actor: object | None = None,
) -> AccessEvent:
    """Log one access. Call it once per request (a list is one row naming the query).

    Never swallow its exceptions: an access that cannot be logged must not be served.
    """
    user = actor if actor is not None else getattr(request, "user", None)
    authenticated = bool(user is not None and getattr(user, "is_authenticated", False))
    return AccessEvent.objects.create(
        user_id=user.pk if authenticated else None,
        username=user.get_username() if authenticated else "",
        role=getattr(user, "role", "") if authenticated else "",
        action=action,
        client_public_id=client_public_id,
        part=part[:60],
        detail=detail[:300],
        request_id=getattr(request, "request_id", None)
        or AccessEvent._meta.get_field("request_id").get_default(),
        ip_address=_client_ip(request) if request is not None else None,
        path=request.path[:300] if request is not None else "",
    )


# NEN 7513: access logs are kept at least five years. Nothing younger is ever deleted; the
# database trigger (migration 0002) enforces the same limit whatever calls it.
RETENTION_YEARS = 5


def retention_cutoff(*, now: datetime | None = None) -> datetime:
    """The moment before which a row is older than the retention period."""
    now = now or timezone.now()
    try:
        return now.replace(year=now.year - RETENTION_YEARS)
    except ValueError:  # 29 February
        return now.replace(year=now.year - RETENTION_YEARS, day=28)


@transaction.atomic
def audit_purge_expired(*, now: datetime | None = None) -> int:
    """Delete access rows older than the retention period; returns how many.

    Turns on the trigger's purge switch for this transaction only (SET LOCAL), and the
    trigger checks each row's age itself, so a wrong `now` cannot remove a younger row.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL buurtzorg.audit_purge = 'on'")
    deleted, _ = AccessEvent.objects.filter(occurred_at__lt=retention_cutoff(now=now)).delete()
    return deleted
