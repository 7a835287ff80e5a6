"""Every write to incidents: filing, recording an action, closing (issue 16, item 4).

Each is atomic and logs its own change through the access log when the incident is about a
client (care data); actions and closing lock the incident row first, so an action cannot be
added to an incident another nurse is closing at that moment.
"""

import datetime as dt
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtzorg.audit.models import Action
from buurtzorg.audit.services import access_log_write
from clients.models import Client
from coaching.incidents.models import Incident, IncidentAction, IncidentKind, IncidentStatus
from coaching.incidents.selectors import incident_get_visible
from teams.models import Role, User
from teams.selectors import team_for_nurse

DESCRIPTION_REQUIRED = _("Describe what happened.")
IN_FUTURE = _("The date of the incident cannot be in the future.")
NO_TEAM = _("You are not in a team, so there is no team to report to.")
CLIENT_NOT_IN_TEAM = _("Choose a client of your team, or none.")
ACTION_REQUIRED = _("Describe the action.")
ALREADY_CLOSED = _("This incident is closed.")
KIND_UNKNOWN = _("Choose the kind of incident.")


def _log(actor: User, incident: Incident, action: str, part: str) -> None:
    """The change's one access row (naming the client when the incident is about one)."""
    access_log_write(
        actor=actor,
        action=action,
        client_public_id=incident.client.public_id if incident.client else None,
        part=part,
        detail=f"incident {incident.public_id}",
    )


@transaction.atomic
def incident_file(
    *,
    actor: User,
    kind: str,
    occurred_on: dt.date,
    description: str,
    client_public_id: UUID | None = None,
    show_author: bool = True,
) -> Incident:
    """File a report for the nurse's own team, about one of its clients or about none."""
    errors: dict[str, list] = {}
    team = team_for_nurse(nurse=actor) if actor.role == Role.NURSE else None
    if team is None:
        raise ValidationError(NO_TEAM, code="no_team")
    if kind not in IncidentKind.values:
        errors["kind"] = [KIND_UNKNOWN]
    description = (description or "").strip()
    if not description:
        errors["description"] = [DESCRIPTION_REQUIRED]
    if occurred_on > timezone.localdate():
        errors["occurred_on"] = [IN_FUTURE]
    client = None
    if client_public_id is not None:
        client = Client.objects.filter(team=team, public_id=client_public_id).first()
        if client is None:
            errors["client"] = [CLIENT_NOT_IN_TEAM]
    if errors:
        raise ValidationError(errors)
    incident = Incident(
        team=team,
        client=client,
        reported_by=actor,
        show_author=show_author,
        kind=kind,
        occurred_on=occurred_on,
        description=description,
    )
    incident.full_clean()
    incident.save()
    _log(actor, incident, Action.CREATE, "incident")
    return incident


@transaction.atomic
def incident_action_add(*, actor: User, public_id: UUID, text: str) -> IncidentAction:
    incident = incident_get_visible(user=actor, public_id=public_id, for_update=True)
    if incident.status == IncidentStatus.CLOSED:
        raise ValidationError(ALREADY_CLOSED, code="closed")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [ACTION_REQUIRED]})
    action = IncidentAction(incident=incident, author=actor, text=text)
    action.full_clean()
    action.save()
    _log(actor, incident, Action.UPDATE, "incident-action")
    return action


@transaction.atomic
def incident_close(*, actor: User, public_id: UUID) -> Incident:
    """Close an open incident; closing twice is refused with a message (never a 500)."""
    incident = incident_get_visible(user=actor, public_id=public_id, for_update=True)
    if incident.status == IncidentStatus.CLOSED:
        raise ValidationError(ALREADY_CLOSED, code="closed")
    incident.status = IncidentStatus.CLOSED
    incident.closed_at = timezone.now()
    incident.closed_by = actor
    incident.full_clean()
    incident.save()
    _log(actor, incident, Action.UPDATE, "incident-close")
    return incident
