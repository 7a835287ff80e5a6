"""Intake requests: made by the registration service, resolved by back office."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtzorg.audit.models import Action
from buurtzorg.audit.services import access_log_write
from clients.intake.models import IntakeRequest, IntakeStatus
from teams.models import Team, User

# What the nurse is told: the same whatever the reason, and nothing about where.
SENT_TO_BACK_OFFICE = _(
    "The registration was sent to back office for checking. They will contact your team."
)
ALREADY_RESOLVED = _("This request was already resolved.")
RESOLUTION_REQUIRED = _("Say what was done.")


def intake_request_create(
    *, actor: User, team: Team, bsn: str, details: dict[str, Any], in_care_with: Team | None
) -> IntakeRequest:
    """Keep a registration back office must check. Called inside the registration's
    transaction; it writes the request and one access row (a CREATE without a client)."""
    request = IntakeRequest(
        team=team, requested_by=actor, bsn=bsn, details=details, in_care_with=in_care_with
    )
    request.full_clean()
    request.save()
    access_log_write(actor=actor, action=Action.CREATE, part="intake-request")
    return request


@transaction.atomic
def intake_request_resolve(
    *, request: IntakeRequest, actor: User, resolution: str
) -> IntakeRequest:
    """Mark a request resolved (the views let only back office). The row is locked, so two
    clicks resolve it once."""
    request = IntakeRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != IntakeStatus.OPEN:
        raise ValidationError(ALREADY_RESOLVED, code="already_resolved")
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": [RESOLUTION_REQUIRED]}, code="required")
    request.status = IntakeStatus.RESOLVED
    request.resolved_by, request.resolved_at = actor, timezone.now()
    request.resolution = resolution
    request.full_clean()
    request.save()
    access_log_write(actor=actor, action=Action.UPDATE, part="intake-request")
    return request
