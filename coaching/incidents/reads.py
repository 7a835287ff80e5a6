"""Reads of incidents (issue 16, item 4). Those that can show a client go through here: the
gate (`incident_list_visible`), one access row, the data, in one transaction."""

import datetime as dt
from collections.abc import Sequence
from uuid import UUID

from django.db import transaction
from django.db.models import QuerySet

from buurtzorg.audit.models import Action
from buurtzorg.audit.services import access_log_write
from coaching.incidents.models import Incident
from coaching.incidents.selectors import (
    incident_client_choices,
    incident_get_visible,
    incident_list_visible,
    incident_trends,
)
from teams.models import Team, User


@transaction.atomic
def incident_list_read(*, actor: User) -> QuerySet[Incident]:
    """The team's incidents (the list names clients): one LIST row."""
    incidents = incident_list_visible(user=actor)
    access_log_write(actor=actor, action=Action.LIST, part="incidents")
    return incidents


@transaction.atomic
def incident_open(*, actor: User, public_id: UUID) -> Incident:
    """One incident with its actions; a VIEW row, naming the client when it is about one."""
    incident = incident_get_visible(user=actor, public_id=public_id)
    access_log_write(
        actor=actor,
        action=Action.VIEW,
        client_public_id=incident.client.public_id if incident.client else None,
        part="incident",
        detail=f"incident {incident.public_id}",
    )
    return incident


def incident_trends_read(
    *, actor: User, today: dt.date, months: int = 6, teams: Sequence[Team] | None = None
) -> list[dict]:
    """Counts only (no client data), so no access row. `teams`: see `incident_trends`."""
    return incident_trends(user=actor, months=months, today=today, teams=teams)


@transaction.atomic
def incident_form_open(*, actor: User) -> list[tuple[str, str]]:
    """The filing form's client choices (her team's active clients): one LIST row."""
    clients = incident_client_choices(user=actor)
    access_log_write(actor=actor, action=Action.LIST, part="incident-form")
    return clients
