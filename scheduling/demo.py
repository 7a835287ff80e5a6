"""Demo: example care services, coverage rules, a 24/7 rota around today, visits.

Idempotent: rows are looked up by natural keys, and the rota pattern is a function of the
date, so running it again (even on a later day) never creates an overlap.
"""

import datetime as dt
from typing import TextIO

from django.utils import timezone

from scheduling.models import (
    SHIFT_PATTERNS,
    CareService,
    CoverageRule,
    CoverArrangement,
    Shift,
    ShiftKind,
)
from scheduling.services.rota import local_span
from teams.models import Team, User

# Example codes only: the official list is configured by the back office, not shipped.
DEMO_SERVICES = [
    ("EX-VP", "Verpleging (nursing) - EXAMPLE CODE", True),
    ("EX-PV", "Persoonlijke verzorging (personal care) - EXAMPLE CODE", True),
    ("EX-GV", "Gespecialiseerde verpleging (specialised nursing) - EXAMPLE CODE", True),
    ("EX-IND", "Indicatiestelling (needs assessment) - EXAMPLE CODE", True),
    ("EX-REIS", "Travel and meetings (not billable) - EXAMPLE CODE", False),
]


def _team_nurses(team: Team) -> list[User]:
    return list(
        User.objects.filter(memberships__team=team, memberships__ended_on__isnull=True).order_by(
            "memberships__seat"
        )
    )


def _book(nurse: User, team: Team, day: dt.date, kind: str) -> int:
    start, end = local_span(day, *SHIFT_PATTERNS[kind])
    if Shift.objects.filter(nurse=nurse, starts_at__lt=end, ends_at__gt=start).exists():
        return 0
    Shift.objects.create(nurse=nurse, team=team, kind=kind, starts_at=start, ends_at=end)
    return 1


def load_rota(stdout: TextIO) -> None:
    oost = Team.objects.filter(name="Team Oost").first()
    noord = Team.objects.filter(name="Team Noord").first()
    if not oost or not noord:
        return
    for team in (oost, noord):
        CoverageRule.objects.get_or_create(
            team=team, starts_at=dt.time(7), defaults={"ends_at": dt.time(23), "min_nurses": 1}
        )
        CoverageRule.objects.get_or_create(
            team=team, starts_at=dt.time(23), defaults={"ends_at": dt.time(7), "min_nurses": 1}
        )
    # Noord is small: Oost's night nurse covers it at night.
    CoverArrangement.objects.get_or_create(
        covering_team=oost,
        covered_team=noord,
        defaults={"valid_from": timezone.localdate() - dt.timedelta(days=60)},
    )
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    created = 0
    oost_nurses, noord_nurses = _team_nurses(oost), _team_nurses(noord)
    for offset in range(-14, 21):
        day = monday + dt.timedelta(days=offset)
        i = day.toordinal()
        if len(oost_nurses) >= 3:
            created += _book(oost_nurses[i % 3], oost, day, ShiftKind.EARLY)
            created += _book(oost_nurses[(i + 1) % 3], oost, day, ShiftKind.LATE)
            created += _book(oost_nurses[(i + 2) % 3], oost, day, ShiftKind.NIGHT)
        if len(noord_nurses) >= 2:
            created += _book(noord_nurses[i % 3 % len(noord_nurses)], noord, day, ShiftKind.EARLY)
            # Leave Noord's Wednesday late shift open, so the rota page shows a gap.
            if day.weekday() != 2:
                created += _book(
                    noord_nurses[(i + 1) % 3 % len(noord_nurses)], noord, day, ShiftKind.LATE
                )
    stdout.write(f"Rota ready ({created} new shifts).")


def load(stdout: TextIO) -> None:
    for code, name, billable in DEMO_SERVICES:
        CareService.objects.get_or_create(
            code=code, defaults={"name": name, "is_billable": billable, "is_example": True}
        )
    load_rota(stdout)
