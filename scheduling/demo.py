"""Demo: example care services, coverage rules, a 24/7 rota around today, visits.

Idempotent: rows are looked up by natural keys, and the rota pattern is a function of the
date, so running it again (even on a later day) never creates an overlap.
"""

import datetime as dt
from typing import TextIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clients.models import Client, ClientStatus, Intervention
from scheduling.models import (
    SHIFT_PATTERNS,
    CareService,
    CoverageRule,
    CoverArrangement,
    CoverStatus,
    Shift,
    ShiftKind,
    Visit,
    VisitSeries,
    VisitStatus,
)
from scheduling.selectors import team_nurses
from scheduling.services.rota import local_datetime, local_span
from scheduling.services.visits import series_create, visit_log, visit_schedule
from teams.models import Team, User

# Example codes only: the official list is configured by the back office, not shipped.
DEMO_SERVICES = [
    ("EX-VP", "Verpleging - VOORBEELDCODE", True),
    ("EX-PV", "Persoonlijke verzorging - VOORBEELDCODE", True),
    ("EX-GV", "Gespecialiseerde verpleging - VOORBEELDCODE", True),
    ("EX-IN", "Indicatiestelling - VOORBEELDCODE", True),
    ("EX-REIS", "Reistijd en overleg (niet declarabel) - VOORBEELDCODE", False),
]


def _team_nurses(team: Team) -> list[User]:
    return list(team_nurses(team=team))


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
    # Noord is small: Oost's night nurse covers it at night, as Noord agreed (only an accepted
    # arrangement counts for its coverage).
    noord_first = next(iter(_team_nurses(noord)), None)
    CoverArrangement.objects.get_or_create(
        covering_team=oost,
        covered_team=noord,
        defaults={
            "valid_from": timezone.localdate() - dt.timedelta(days=60),
            "status": CoverStatus.ACCEPTED if noord_first else CoverStatus.PROPOSED,
            "accepted_by": noord_first,
            "accepted_at": timezone.now() if noord_first else None,
        },
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


def _plan(client: Client, nurse: User | None, start: dt.datetime, service: CareService) -> int:
    if Visit.objects.filter(client=client, starts_at=start).exists():
        return 0
    plan = list(Intervention.objects.filter(client_problem__client=client, is_active=True)[:3])
    actor = nurse
    if actor is None:  # an unassigned visit is planned in the name of one of the team's nurses
        membership = client.team.memberships.select_related("nurse").first()
        if membership is None:
            return 0
        actor = membership.nurse
    try:
        with transaction.atomic():
            visit_schedule(
                client=client,
                nurse=nurse,
                starts_at=start,
                planned_minutes=30,
                planned_interventions=plan,
                service=service,
                actor=actor,
                check_actor=False,
            )
    except ValidationError:
        return 0
    return 1


def load_visits(stdout: TextIO) -> None:
    """Visits today and for the rest of this week for the demo clients, plus one series."""
    service = CareService.objects.get(code="EX-VP")
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    created = 0
    for team in Team.objects.filter(name__in=["Team Oost", "Team Noord"]):
        nurses = _team_nurses(team)
        clients = list(
            Client.objects.filter(team=team, status=ClientStatus.ACTIVE).order_by("pk")[:9]
        )
        if not nurses or not clients:
            continue
        for offset in range(7):
            day = monday + dt.timedelta(days=offset)
            for i, client in enumerate(clients):
                # The last client's Friday visit stays unassigned: the planning page shows it.
                nurse = None if (i == len(clients) - 1 and offset == 4) else nurses[i % len(nurses)]
                start = local_datetime(day, dt.time(8)) + dt.timedelta(
                    minutes=45 * (i // len(nurses))
                )
                created += _plan(client, nurse, start, service)
        first = clients[0]
        if not VisitSeries.objects.filter(client=first).exists():
            series_create(
                client=first,
                weekdays=0b0010101,  # Mon/Wed/Fri
                time_of_day=dt.time(18, 30),
                planned_minutes=20,
                starts_on=today,
                until=today + dt.timedelta(days=90),
                nurse=None,
                notes="Avondcontrole (demoreeks)",
                service=service,
                actor=nurses[0],
            )
    stdout.write(f"Visits ready ({created} new visits).")


def load_history(stdout: TextIO) -> None:
    """Logged visits from the first day of last month until yesterday.

    Without a history the dashboards show zeros and a billing run of last month finds
    nothing, so the demo would not show what the app is for. Each client is seen every other
    day; about one visit in seven took longer than planned (with a reason), as in practice.
    """
    services = {s.code: s for s in CareService.objects.filter(code__in=["EX-VP", "EX-PV"])}
    today = timezone.localdate()
    first = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    logged = 0
    for team in Team.objects.filter(name__in=["Team Oost", "Team Noord"]):
        nurses = _team_nurses(team)
        clients = list(
            Client.objects.filter(team=team, status=ClientStatus.ACTIVE).order_by("pk")[:9]
        )
        if not nurses:
            continue
        day = first
        while day < today - dt.timedelta(days=today.weekday()):
            for i, client in enumerate(clients):
                if (day.toordinal() + i) % 2 or client.admitted_on > day:
                    continue
                nurse = nurses[(day.toordinal() + i) % len(nurses)]
                start = local_datetime(day, dt.time(9)) + dt.timedelta(minutes=40 * (i % 4))
                service = services["EX-PV" if i % 3 == 0 else "EX-VP"]
                _plan(client, nurse, start, service)
                visit = Visit.objects.filter(
                    client=client, starts_at=start, status=VisitStatus.PLANNED, nurse=nurse
                ).first()
                if visit is None:
                    continue
                longer = (day.toordinal() + i) % 7 == 0
                try:
                    with transaction.atomic():
                        visit_log(
                            visit=visit,
                            actor=nurse,
                            minutes=45 if longer else None,
                            deviation_reason="Wondzorg duurde vandaag langer" if longer else "",
                            now=start + dt.timedelta(minutes=50),
                        )
                except ValidationError:
                    continue
                logged += 1
            day += dt.timedelta(days=1)
    stdout.write(f"Visit history ready ({logged} visits logged).")


def load(stdout: TextIO) -> None:
    for code, name, billable in DEMO_SERVICES:
        CareService.objects.get_or_create(
            code=code, defaults={"name": name, "is_billable": billable, "is_example": True}
        )
    load_rota(stdout)
    load_history(stdout)
    load_visits(stdout)
