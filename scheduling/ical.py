"""The nurse's schedule feed as RFC 5545 text, written by the `icalendar` library.

The library escapes every text value (backslash, `;`, `,`, line breaks including a bare
carriage return) and folds long lines, so no text we put in (a display name, a client's
initials) can start a property or an event of its own.
"""

import datetime as dt
from collections.abc import Iterable

import icalendar
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from scheduling.models import Visit, VisitStatus
from teams.models import User

PRODID = "-//Buurtzorg//Schedule//EN"


def _initials(visit: Visit) -> str:
    first, last = visit.client.first_name[:1], visit.client.last_name[:1]
    return f"{first}.{last}." if first or last else _("client")


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


def feed_language(nurse: User) -> str:
    """The feed owner's language: her own choice, else the organisation's. A calendar app
    fetches the feed with no session and its own Accept-Language, which says nothing of her."""
    return nurse.language or settings.LANGUAGE_CODE


def render_feed(*, nurse: User, visits: Iterable[Visit]) -> str:
    """The nurse's visits as VEVENTs, in UTC, with texts in her language (`feed_language`).
    Client initials only: feeds leave our servers."""
    with translation.override(feed_language(nurse)):
        return _render_feed(nurse=nurse, visits=visits)


def _render_feed(*, nurse: User, visits: Iterable[Visit]) -> str:
    now = _utc(timezone.now())
    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    # An X- property has no known type: say it is text, so it is escaped like the others.
    calendar.add("x-wr-calname", icalendar.vText(_("Visits %(nurse)s") % {"nurse": nurse}))
    for visit in visits:
        event = icalendar.Event()
        event.add("uid", f"{visit.public_id}@buurtzorg")
        event.add("dtstamp", now)
        event.add("dtstart", _utc(visit.starts_at))
        event.add("dtend", _utc(visit.ends_at))
        event.add(
            "summary",
            _("Visit %(initials)s (%(minutes)d min)")
            % {"initials": _initials(visit), "minutes": visit.planned_minutes},
        )
        cancelled = visit.status == VisitStatus.CANCELLED
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical().decode()
