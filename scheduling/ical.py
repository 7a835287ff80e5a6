"""A minimal RFC 5545 writer for the nurse's schedule feed (no library needed for VEVENTs)."""

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from scheduling.models import Visit
from teams.models import User


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    out.append(current)
    return "\r\n".join(out)


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _initials(visit: Visit) -> str:
    first, last = visit.client.first_name[:1], visit.client.last_name[:1]
    return f"{first}.{last}." if first or last else "client"


def render_feed(*, nurse: User, visits: Iterable[Visit]) -> str:
    """The nurse's visits as VEVENTs, in UTC. Client initials only: feeds leave our servers."""
    now = _stamp(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Buurtzorg//Schedule//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(f'Visits {nurse}')}",
    ]
    for visit in visits:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{visit.public_id}@buurtzorg",
            f"DTSTAMP:{now}",
            f"DTSTART:{_stamp(visit.starts_at)}",
            f"DTEND:{_stamp(visit.ends_at)}",
            f"SUMMARY:{_escape(f'Visit {_initials(visit)} ({visit.planned_minutes} min)')}",
            f"STATUS:{'CONFIRMED' if visit.status != 'cancelled' else 'CANCELLED'}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
