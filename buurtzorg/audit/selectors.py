"""Reads of the access log. Only administrators reach these (see views)."""

from datetime import date, datetime, time
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone

from buurtzorg.audit.models import AccessEvent, Action


def access_event_list(
    *,
    client_public_id: UUID | None = None,
    username: str = "",
    action: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AccessEvent]:
    """Access rows, newest first, narrowed by the given filters (each optional)."""
    events = AccessEvent.objects.order_by("-occurred_at", "-id")
    if client_public_id:
        events = events.filter(client_public_id=client_public_id)
    if username:
        events = events.filter(username__iexact=username)
    if action:
        events = events.filter(action=action)
    tz = timezone.get_current_timezone()
    if date_from:
        events = events.filter(occurred_at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        events = events.filter(occurred_at__lte=datetime.combine(date_to, time.max, tzinfo=tz))
    return events


def client_access_report(*, client_public_id: UUID) -> QuerySet[AccessEvent]:
    """Who saw or changed one client's record ("who saw my record"), newest first.

    Rows about the audit log itself are left out: they record an administrator reading the
    log, not the record.
    """
    return access_event_list(client_public_id=client_public_id).exclude(action=Action.AUDIT_VIEW)
