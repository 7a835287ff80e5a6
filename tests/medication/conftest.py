"""A team with two nurses, a coach, a client with an 08:00 tablet and an 08:00 insulin dose,
and a visit 07:45-08:15 that covers both (Tuesday 2 June 2026, in the past)."""

import datetime as dt
from dataclasses import dataclass

import pytest

from clients.models import Client
from scheduling.medication.models import Medication
from scheduling.models import Visit
from scheduling.services.rota import local_datetime
from teams.models import Team, User
from tests.factories import (
    BackOfficeFactory,
    ClientFactory,
    CoachAssignmentFactory,
    CoachFactory,
    MedicationFactory,
    VisitFactory,
    nursing_team,
)

DAY = dt.date(2026, 6, 2)
PASSWORD = "correct-horse-battery"  # tests.factories.teams.UserFactory


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return local_datetime(day, dt.time(hour, minute))


@dataclass
class MedWorld:
    team: Team
    nurse: User
    colleague: User
    other_nurse: User
    coach: User
    back_office: User
    client_record: Client
    tablet: Medication
    insulin: Medication
    visit: Visit


@pytest.fixture
def med(db: None) -> MedWorld:
    team, (nurse, colleague) = nursing_team(2, name="Team A")
    _other, (other_nurse,) = nursing_team(1, name="Team B")
    coach = CoachAssignmentFactory(team=team, coach=CoachFactory()).coach
    client_record = ClientFactory(team=team, first_name="Jan", last_name="Jansen")
    tablet = MedicationFactory(client=client_record, name="Metformine", created_by=nurse)
    insulin = MedicationFactory(
        client=client_record,
        name="Insuline aspart",
        strength="100 E/ml",
        form="injection",
        dose_amount=8,
        dose_unit="E",
        route="subcutaneous",
        high_risk=True,
        code="A10AB05",
        created_by=nurse,
    )
    visit = VisitFactory(client=client_record, nurse=nurse, day=DAY, at=dt.time(7, 45))
    return MedWorld(
        team=team,
        nurse=nurse,
        colleague=colleague,
        other_nurse=other_nurse,
        coach=coach,
        back_office=BackOfficeFactory(),
        client_record=client_record,
        tablet=tablet,
        insulin=insulin,
        visit=visit,
    )
