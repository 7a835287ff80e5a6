"""The nurse's schedule feed as RFC 5545 text, written by the `icalendar` library.

The library escapes every text value (backslash, `;`, `,`, line breaks including a bare
carriage return) and folds long lines, so no text we put in (a display name, a client's
initials) can start a property or an event of its own.
"""

import datetime as dt
from collections.abc import Iterable

import icalendar
from django.utils import timezone

from scheduling.models import Visit, VisitStatus
from teams.models import User

PRODID = "-//Buurtzorg//Schedule//EN"


def _initials(visit: Visit) -> str:
    first, last = visit.client.first_name[:1], visit.client.last_name[:1]
    return f"{first}.{last}." if first or last else "client"


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


def render_feed(*, nurse: User, visits: Iterable[Visit]) -> str:
    """The nurse's visits as VEVENTs, in UTC. Client initials only: feeds leave our servers."""
    now = _utc(timezone.now())
    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    # An X- property has no known type: say it is text, so it is escaped like the others.
    calendar.add("x-wr-calname", icalendar.vText(f"Visits {nurse}"))
    for visit in visits:
        event = icalendar.Event()
        event.add("uid", f"{visit.public_id}@buurtzorg")
        event.add("dtstamp", now)
        event.add("dtstart", _utc(visit.starts_at))
        event.add("dtend", _utc(visit.ends_at))
        event.add("summary", f"Visit {_initials(visit)} ({visit.planned_minutes} min)")
        cancelled = visit.status == VisitStatus.CANCELLED
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical().decode()
