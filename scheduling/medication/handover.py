"""Overdue doses for the team's handover (`settings.HANDOVER_SOURCES`).

The handover page calls each source as f(team=, since=, user=) inside its own gated, logged
read and lists the items it returns; this source reads nothing else and logs nothing.
"""

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import Client
from scheduling.medication.selectors import overdue_doses_for_team
from teams.models import Team, User


@dataclass(frozen=True)
class HandoverItem:
    kind: str
    client: Client
    when: dt.datetime
    text: str
    url: str
    key: str  # the nurse's read mark: one per dose (medication and due time)
    high_risk: bool


def overdue_doses(*, team: Team, since: dt.datetime, user: User) -> list[HandoverItem]:
    """Doses of the team's clients due since `since`, unsigned 2 hours after their time
    (3 queries whatever the team's size)."""
    doses = overdue_doses_for_team(team_id=team.pk, start=since)
    return [
        HandoverItem(
            kind="medication-overdue",
            client=d.medication.client,
            when=d.due_at,
            text=_("%(medicine)s due at %(time)s not signed off")
            % {
                "medicine": d.medication,
                "time": timezone.localtime(d.due_at).strftime("%H:%M"),
            },
            url=reverse("medication:history", args=[d.medication.public_id]),
            key=f"medication-overdue:{d.medication.public_id}:{d.due_at.isoformat()}",
            high_risk=d.medication.high_risk,
        )
        for d in doses
    ]
