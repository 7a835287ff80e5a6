"""Writing the audit trail. One INSERT per call; a failed write raises, so the request fails."""

from uuid import UUID

from django.http import HttpRequest

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
