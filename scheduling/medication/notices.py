"""The team's evening notice of missed doses (through `settings.TEAM_NOTICE_HOOKS`, which
coaching answers by posting into the team's space; scheduling imports nothing above it)."""

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from scheduling.medication.schedule import DueDose
from scheduling.medication.selectors import overdue_doses_for_team
from scheduling.selectors import day_bounds
from teams.models import Team

NOTICE_SUBJECT = "Missed medication"
NOTICE_KEY = "medication-overdue"
NOTICE_INTRO = "{count} dose(s) due today were not signed off 2 hours after their time:"


def _initials(dose: DueDose) -> str:
    """The space is the team's, but a notice is kept long: initials, not names (like iCal)."""
    client = dose.medication.client
    return f"{client.first_name[:1]}. {client.last_name[:1]}."


def overdue_doses_notify(*, team_id: int, now: dt.datetime | None = None) -> list[DueDose]:
    """Post today's overdue doses of the team's clients (nothing when there are none).
    Safe to run twice: the second run posts the same list again to the same thread."""
    now = now or timezone.now()
    team = Team.objects.get(pk=team_id)
    start, _ = day_bounds(timezone.localtime(now).date())
    doses = overdue_doses_for_team(team_id=team.pk, start=start, now=now)
    if not doses:
        return doses
    lines = [
        f"- {timezone.localtime(d.due_at):%H:%M} {_initials(d)} {d.medication}"
        + (" (high risk)" if d.medication.high_risk else "")
        for d in doses[:50]
    ]
    if len(doses) > 50:
        lines.append(f"... and {len(doses) - 50} more; see My day.")
    body = NOTICE_INTRO.format(count=len(doses)) + "\n" + "\n".join(lines)
    if not settings.TEAM_NOTICE_HOOKS:
        logging.getLogger(__name__).warning("Missed doses for %s (nowhere to post): %s", team, body)
    for path in settings.TEAM_NOTICE_HOOKS:
        import_string(path)(team=team, subject=NOTICE_SUBJECT, body=body, key=NOTICE_KEY)
    return doses
