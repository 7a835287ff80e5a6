"""A small world for visit tests: two teams, a client with a care plan, every role."""

import datetime as dt
from dataclasses import dataclass

import pytest

from clients.models import Client, ClientProblem, Intervention
from scheduling.models import CareService
from teams.models import Team, User
from tests.factories import (
    AdminFactory,
    BackOfficeFactory,
    CareServiceFactory,
    ClientFactory,
    CoachAssignmentFactory,
    CoachFactory,
    InterventionFactory,
    nursing_team,
)

DAY = dt.date(2026, 6, 2)  # a Tuesday in the past, so ratings are allowed


@dataclass
class VisitWorld:
    team: Team
    nurse: User
    colleague: User
    other_team: Team
    other_nurse: User
    coach: User
    back_office: User
    admin: User
    client_record: Client
    problem: ClientProblem
    intervention: Intervention
    other_intervention: Intervention
    service: CareService


@pytest.fixture
def world(db: None) -> VisitWorld:
    team, (nurse, colleague) = nursing_team(2, name="Team A")
    other_team, (other_nurse,) = nursing_team(1, name="Team B")
    coach = CoachAssignmentFactory(team=team, coach=CoachFactory()).coach
    client_record = ClientFactory(
        team=team, first_name="Jan", last_name="Jansen", phone="020-5551234"
    )
    intervention = InterventionFactory(
        client_problem__client=client_record, description="Check the pain score"
    )
    other_intervention = InterventionFactory(
        client_problem=intervention.client_problem, description="Explain the medication"
    )
    return VisitWorld(
        team=team,
        nurse=nurse,
        colleague=colleague,
        other_team=other_team,
        other_nurse=other_nurse,
        coach=coach,
        back_office=BackOfficeFactory(),
        admin=AdminFactory(),
        client_record=client_record,
        problem=intervention.client_problem,
        intervention=intervention,
        other_intervention=other_intervention,
        service=CareServiceFactory(code="EX-VP", name="Nursing (example)"),
    )


@pytest.fixture(scope="module")
def restore_vocabulary_after(django_db_blocker: object) -> object:
    """Transactional tests end with a flush that also empties the Omaha vocabulary (loaded by
    a data migration). Put it back once, committed, so later tests do not each reload it
    inside their own rolled-back transaction (5 s apiece)."""
    yield
    from omaha.vocabulary import ensure_vocabulary

    with django_db_blocker.unblock():
        ensure_vocabulary()
