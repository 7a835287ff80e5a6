"""Doses due, derived from each medication's schedule (never stored).

A scheduled medication has a dose at each of its times of day (local wall-clock time, so an
08:00 dose stays at 08:00 across a DST change) on its weekdays, from its start to its end
date, and not from the moment it was stopped. As-needed medication has no due doses; it is
signed when given, up to its maximum per day.

A visit *covers* a dose when the dose falls within the visit's planned window widened by
`settings.MEDICATION_DOSE_MARGIN_MINUTES` on both sides (60 by default): a 07:30-08:00 visit
covers doses from 06:30 to 09:00. Those are the doses the nurse signs at that visit. One dose
may be covered by two visits (either may sign it; the database keeps one current sign-off).

A dose is *overdue* when it is covered by a visit that is not cancelled, has no current
sign-off and its time is `OVERDUE_AFTER` (2 hours) past: it then shows on My day, the handover
and the team's nightly notice.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from scheduling.medication.models import DoseSignoff, Medication
from scheduling.services.rota import local_datetime

OVERDUE_AFTER = dt.timedelta(hours=2)


def dose_margin() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "MEDICATION_DOSE_MARGIN_MINUTES", 60))


def visit_window(starts_at: dt.datetime, ends_at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The half-open interval of dose times a visit covers."""
    margin = dose_margin()
    return starts_at - margin, ends_at + margin


@dataclass
class DueDose:
    """One due dose and its current sign-off (None while unsigned)."""

    medication: Medication
    due_at: dt.datetime
    signoff: DoseSignoff | None = None

    @property
    def key(self) -> str:
        """How a form names the dose: the medication's public id and the UTC time."""
        return f"{self.medication.public_id}@{self.due_at.astimezone(dt.UTC).isoformat()}"

    @property
    def is_signed(self) -> bool:
        return self.signoff is not None

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        return self.signoff is None and self.due_at + OVERDUE_AFTER <= (now or timezone.now())


def dose_times(medication: Medication, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """The due times of `medication` in [start, end), in order (none for as-needed)."""
    if medication.as_needed:
        return []
    first = timezone.localtime(start).date()
    last = timezone.localtime(end).date()
    times = medication.times()
    out = []
    day = first
    while day <= last:
        if medication.given_on(day):
            for t in times:
                due = local_datetime(day, t)
                if start <= due < end and (
                    medication.stopped_at is None or due < medication.stopped_at
                ):
                    out.append(due)
        day += dt.timedelta(days=1)
    return sorted(out)


def current_signoffs(rows: Iterable[DoseSignoff]) -> dict[tuple[int, dt.datetime], DoseSignoff]:
    """The current sign-off of each dose among `rows` (all rows of those doses): the one no
    other row corrects."""
    rows = list(rows)
    corrected = {r.corrects_id for r in rows if r.corrects_id is not None}
    return {(r.medication_id, r.due_at): r for r in rows if r.pk not in corrected}


def due_doses(
    medications: Iterable[Medication],
    windows: Iterable[tuple[dt.datetime, dt.datetime]],
    signoffs: Iterable[DoseSignoff],
) -> list[DueDose]:
    """The doses of `medications` inside any of `windows`, each once, with its current
    sign-off, ordered by time and name."""
    current = current_signoffs(signoffs)
    windows = list(windows)
    seen: set[tuple[int, dt.datetime]] = set()
    out = []
    for med in medications:
        for start, end in windows:
            for due in dose_times(med, start, end):
                if (med.pk, due) in seen:
                    continue
                seen.add((med.pk, due))
                out.append(DueDose(medication=med, due_at=due, signoff=current.get((med.pk, due))))
    return sorted(out, key=lambda d: (d.due_at, d.medication.name, d.medication.pk))
