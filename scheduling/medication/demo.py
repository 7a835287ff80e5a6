"""Demo: a few medicines for Team Oost's first clients (idempotent: looked up by name), so
`make run` shows the medication on the record, the doses at the 08:00 visits and
"All given as scheduled"."""

import datetime as dt
from typing import TextIO

from django.utils import timezone

from clients.models import Client, ClientStatus
from scheduling.medication.models import Medication
from scheduling.medication.services import medication_create
from scheduling.selectors import team_nurses
from teams.models import Team

DEMO = [
    # (client index, name, ATC, strength, form, dose, unit, route, times, as needed, high risk)
    (0, "Metformine", "A10BA02", "500 mg", "tablet", 1, "tablet", "oral", ["08:00", "18:00"],
     False, False),
    (0, "Insuline aspart", "A10AB05", "100 E/ml", "injection", 8, "E", "subcutaneous",
     ["08:00"], False, True),
    (1, "Furosemide", "C03CA01", "40 mg", "tablet", 1, "tablet", "oral", ["08:00"], False,
     False),
    (1, "Paracetamol", "N02BE01", "500 mg", "tablet", 2, "tablet", "oral", [], True, False),
    (2, "Omeprazol", "A02BC01", "20 mg", "capsule", 1, "capsule", "oral", ["08:00"], False,
     False),
]  # fmt: skip


def load(stdout: TextIO) -> None:
    team = Team.objects.filter(name="Team Oost").first()
    if team is None:
        return
    nurses = list(team_nurses(team=team))
    clients = list(Client.objects.filter(team=team, status=ClientStatus.ACTIVE).order_by("pk")[:3])
    if not nurses or not clients:
        return
    added = 0
    for index, name, code, strength, form, dose, unit, route, times, as_needed, risky in DEMO:
        if (
            index >= len(clients)
            or Medication.objects.filter(client=clients[index], name=name).exists()
        ):
            continue
        medication_create(
            client=clients[index],
            actor=nurses[0],
            name=name,
            code=code,
            strength=strength,
            form=form,
            dose_amount=dose,
            dose_unit=unit,
            route=route,
            times_of_day=times,
            as_needed=as_needed,
            max_per_day=3 if as_needed else None,
            starts_on=timezone.localdate() - dt.timedelta(days=30),
            high_risk=risky,
            prescriber="Huisarts (demo)",
        )
        added += 1
    stdout.write(f"Medication ready ({added} new).")
