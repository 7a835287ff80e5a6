"""Lifting a login lockout: the administrators' page instead of the Django admin.

django-axes locks a username, or a client address, after AXES_FAILURE_LIMIT failures within
AXES_COOLOFF_TIME (see buurtzorg.audit.lockout). An administrator can end a lock early (a
nurse who mistyped on a shared tablet and must start her round). Which failures make a lock is
read here the way axes counts them: failures_since_start summed per username and per address
over the cool-off window. Lifting deletes the failures behind one lock, and is an
administrator's action on someone's account: it writes one access row in the same
transaction, so the access log says who unlocked what, when and from where.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtzorg.audit.models import Action
from buurtzorg.audit.services import access_log_write

USERNAME = "username"
ADDRESS = "address"
LOCK_KINDS = (USERNAME, ADDRESS)
LOCK_NOT_FOUND = _("This lockout has already ended.")
LOCK_KIND_UNKNOWN = _("Choose whether to unlock the username or the address.")


@dataclass(frozen=True)
class Lockout:
    kind: str  # USERNAME or ADDRESS
    value: str
    failures: int
    last_attempt: datetime
    attempt_id: int  # the latest failure behind the lock: what the unlock button names


def _window_start() -> datetime:
    return timezone.now() - settings.AXES_COOLOFF_TIME


def _recent() -> Any:
    return AccessAttempt.objects.filter(attempt_time__gte=_window_start())


def lockout_list() -> list[Lockout]:
    """Every username and every address locked now, newest failure first (two queries)."""
    limit = settings.AXES_FAILURE_LIMIT
    found: list[Lockout] = []
    for kind, field in ((USERNAME, "username"), (ADDRESS, "ip_address")):
        recent = _recent().exclude(**{f"{field}__isnull": True})
        if field == "username":  # (an address column holds no empty string: NULL instead)
            recent = recent.exclude(username="")
        rows = (
            recent.values(field)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .annotate(attempt_id=Max("id"))
            .filter(failures__gte=limit)
        )
        found += [
            Lockout(kind, row[field], row["failures"], row["last"], row["attempt_id"])
            for row in rows
        ]
    return sorted(found, key=lambda lock: lock.last_attempt, reverse=True)


@transaction.atomic
def lockout_lift(*, actor: Any, attempt_id: int, kind: str) -> Lockout:
    """Delete the failures that lock the username (or the address) of failure `attempt_id`.

    The failures are locked first, so a login failing at the same moment either lands before
    (and is deleted with the rest) or after (and counts towards a new lock). Raises
    ValidationError when there is no such failure in the window (the lock ended, or another
    administrator lifted it). Writes one access row naming what was unlocked.
    """
    if kind not in LOCK_KINDS:
        raise ValidationError({"kind": [LOCK_KIND_UNKNOWN]}, code="kind")
    attempt = _recent().select_for_update().filter(pk=attempt_id).first()
    field = "username" if kind == USERNAME else "ip_address"
    value = getattr(attempt, field, None) if attempt is not None else None
    if not value:
        raise ValidationError(LOCK_NOT_FOUND, code="gone")
    failures = list(
        AccessAttempt.objects.select_for_update()
        .filter(**{field: value})
        .values_list("pk", "failures_since_start", "attempt_time")
    )
    AccessAttempt.objects.filter(pk__in=[pk for pk, _n, _t in failures]).delete()
    access_log_write(
        actor=actor,
        action=Action.DELETE,
        part="login-lockout",
        detail=f"unlocked {kind} {value}",
    )
    return Lockout(
        kind=kind,
        value=value,
        failures=sum(n for _pk, n, _t in failures),
        last_attempt=max(t for _pk, _n, t in failures),
        attempt_id=attempt_id,
    )
