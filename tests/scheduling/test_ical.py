"""The iCal feed (scheduling.ical): RFC 5545 text that no name can break out of."""

import datetime as dt

import icalendar

from clients.models import Client
from scheduling.ical import render_feed
from scheduling.models import Visit, VisitStatus
from teams.models import User

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _visit(*, first: str = "Jan", last: str = "Jansen", status: str = VisitStatus.PLANNED) -> Visit:
    return Visit(
        client=Client(first_name=first, last_name=last),
        starts_at=START,
        ends_at=START + dt.timedelta(minutes=30),
        planned_minutes=30,
        status=status,
    )


def test_the_feed_keeps_its_content() -> None:
    nurse = User(username="noor", first_name="Noor", last_name="Bakker")
    visits = [_visit(), _visit(status=VisitStatus.CANCELLED)]
    body = render_feed(nurse=nurse, visits=visits)
    calendar = icalendar.Calendar.from_ical(body)
    assert calendar["X-WR-CALNAME"] == "Visits Noor Bakker"
    assert str(calendar["PRODID"]) == "-//Buurtzorg//Schedule//EN"
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Visit J.J. (30 min)"] * 2
    assert [str(e["STATUS"]) for e in events] == ["CONFIRMED", "CANCELLED"]
    assert events[0]["UID"] == f"{visits[0].public_id}@buurtzorg"
    assert events[0].decoded("DTSTART") == START
    assert events[0].decoded("DTEND") == START + dt.timedelta(minutes=30)
    assert "DTSTART:20260302T090000Z\r\n" in body
    assert body.endswith("END:VCALENDAR\r\n")


def test_a_carriage_return_in_a_display_name_cannot_inject_lines() -> None:
    # given: a display name with a bare CR, a CRLF and a whole event after it
    evil = "Noor\rX-INJECTED:1\r\nBEGIN:VEVENT\r\nSUMMARY:pwned\r\nEND:VEVENT"
    nurse = User(username="noor", first_name=evil, last_name="B")
    # when
    body = render_feed(nurse=nurse, visits=[_visit(first="\rX", last="\nY")])
    # then: every line break in the file is a CRLF of the writer's own, nothing starts a line
    # of its own, and a reader finds one event whose summary is still the text it was given
    lines = body.split("\r\n")
    assert all("\r" not in line and "\n" not in line for line in lines)
    assert not any(line.startswith(("X-INJECTED", "SUMMARY:pwned")) for line in lines)
    assert lines.count("BEGIN:VEVENT") == 1
    calendar = icalendar.Calendar.from_ical(body)
    assert len(calendar.walk("VEVENT")) == 1
    assert "X-INJECTED" not in calendar
