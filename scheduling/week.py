"""Week arithmetic in local time (Europe/Amsterdam) for the rota and planning pages."""

import datetime as dt

from django.utils import timezone

from scheduling.services.rota import local_datetime


def week_start(day: dt.date | None = None) -> dt.date:
    day = day or timezone.localdate()
    return day - dt.timedelta(days=day.weekday())


def parse_week(raw: str | None) -> dt.date:
    try:
        return week_start(dt.date.fromisoformat(raw)) if raw else week_start()
    except ValueError:
        return week_start()


def week_days(monday: dt.date) -> list[dt.date]:
    return [monday + dt.timedelta(days=i) for i in range(7)]


def week_bounds(monday: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return local_datetime(monday, dt.time()), local_datetime(
        monday + dt.timedelta(days=7), dt.time()
    )


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return local_datetime(day, dt.time()), local_datetime(day + dt.timedelta(days=1), dt.time())


def split_by_day(
    start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.date, dt.datetime, dt.datetime]]:
    """Cut an interval at local midnights: [(day, start, end), ...]."""
    out = []
    cur = start
    while cur < end:
        day = timezone.localtime(cur).date()
        midnight = local_datetime(day + dt.timedelta(days=1), dt.time())
        out.append((day, cur, min(end, midnight)))
        cur = min(end, midnight)
    return out
