"""Back office reads of intake requests: each read writes one access row (they hold a BSN,
names and an address)."""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404

from buurtzorg.audit.models import Action
from buurtzorg.audit.services import access_log_write
from clients.intake.models import IntakeRequest, IntakeStatus
from teams.models import Role, User


def intake_requests_visible(*, user: User) -> QuerySet[IntakeRequest]:
    """Back office sees every request; nobody else any (a nurse is told only "sent")."""
    requests = IntakeRequest.objects.select_related(
        "team", "in_care_with", "requested_by", "resolved_by"
    )
    return requests if user.role == Role.BACK_OFFICE else requests.none()


@transaction.atomic
def intake_request_list_read(*, actor: User, open_only: bool = True) -> list[IntakeRequest]:
    requests = intake_requests_visible(user=actor)
    if open_only:
        requests = requests.filter(status=IntakeStatus.OPEN)
    rows = list(requests[:200])
    access_log_write(actor=actor, action=Action.LIST, part="intake-requests")
    return rows


def intake_request_get(*, actor: User, public_id: UUID | str) -> IntakeRequest:
    """The request, or 404 alike for a made-up, malformed or someone else's id."""
    try:
        return intake_requests_visible(user=actor).get(public_id=public_id)
    except (IntakeRequest.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404("No intake request matches the given query.") from exc
