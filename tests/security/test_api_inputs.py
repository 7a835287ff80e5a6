"""API inputs resolve ids through the caller's visibility (issue 14, deliverable 3).

For every related-object field of every API input, team B's nurse sends team A's id and then
an id that exists nowhere: both answers must be the same (status and body, the echoed id aside),
so an input field cannot tell her which ids exist in another team.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from rest_framework.test import APIClient

from buurtzorg.api import MISSING_USER_CONTEXT
from coaching.services import SPACE_NOT_YOURS
from scheduling.api.serializers import VisitInput
from tests.factories import (
    ClientFactory,
    ClientProblemFactory,
    CoverArrangementFactory,
    InterventionFactory,
    MembershipFactory,
    TeamSpaceFactory,
    VisitFactory,
)
from tests.security.world import World

pytestmark = pytest.mark.django_db

ID = "<id>"  # where a case's payload puts the id under test


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path


@dataclass
class TeamB:
    """Team B's own objects, so that only the field under test is foreign."""

    client: Any
    intervention: Any
    visit: Any
    space: Any


@pytest.fixture
def world() -> World:
    return World()


@pytest.fixture
def team_b(world: World) -> TeamB:
    client_b = ClientFactory(team=world.team_b)
    return TeamB(
        client=client_b,
        intervention=InterventionFactory(client_problem=ClientProblemFactory(client=client_b)),
        visit=VisitFactory(client=client_b, nurse=world.nurse_b),
        space=TeamSpaceFactory(team=world.team_b),
    )


@dataclass(frozen=True)
class Case:
    """POST/PUT `payload` to `url`; `foreign` is team A's id for the `ID` placeholder."""

    name: str
    method: str
    url: Callable[[World, TeamB], str]
    payload: Callable[[World, TeamB], dict]
    foreign: Callable[[World], object]
    field: str


def _visit_payload(w: World, b: TeamB) -> dict:
    return {
        "client": str(b.client.public_id),
        "nurse": str(w.nurse_b.public_id),
        "starts_at": "2027-01-05T09:00:00+01:00",
        "planned_minutes": 30,
    }


def _series_payload(w: World, b: TeamB) -> dict:
    return {
        "client": str(b.client.public_id),
        "nurse": str(w.nurse_b.public_id),
        "weekdays": [1, 4],
        "time_of_day": "09:00",
        "planned_minutes": 30,
        "starts_on": "2026-06-01",
    }


def _shift_payload(w: World, b: TeamB) -> dict:
    return {
        "nurse": str(w.nurse_b.public_id),
        "team": str(w.team_b.public_id),
        "kind": "early",
        "starts_at": "2026-06-03T07:00:00+02:00",
        "ends_at": "2026-06-03T15:00:00+02:00",
    }


def _visits(w: World, b: TeamB) -> str:
    return reverse("api-visit-list")


def _series(w: World, b: TeamB) -> str:
    return reverse("api-series-list")


def _shifts(w: World, b: TeamB) -> str:
    return reverse("api-shift-list")


def _visit_b(w: World, b: TeamB) -> str:
    return reverse("api-visit-detail", kwargs={"id": b.visit.public_id})


def _visit_b_log(w: World, b: TeamB) -> str:
    return reverse("api-visit-log", kwargs={"id": b.visit.public_id})


CASES = [
    Case("shift team", "post", _shifts, lambda w, b: {**_shift_payload(w, b), "team": ID},
         lambda w: w.team_a.public_id, "team"),
    Case("shift nurse", "post", _shifts, lambda w, b: {**_shift_payload(w, b), "nurse": ID},
         lambda w: w.nurse_a.public_id, "nurse"),
    Case("visit client", "post", _visits, lambda w, b: {**_visit_payload(w, b), "client": ID},
         lambda w: w.client_a.public_id, "client"),
    Case("visit nurse", "post", _visits, lambda w, b: {**_visit_payload(w, b), "nurse": ID},
         lambda w: w.nurse_a.public_id, "nurse"),
    Case("visit planned_interventions", "post", _visits,
         lambda w, b: {**_visit_payload(w, b), "planned_interventions": [ID]},
         lambda w: w.intervention_a.public_id, "planned_interventions"),
    Case("visit update nurse", "put", _visit_b,
         lambda w, b: {"nurse": ID, "starts_at": "2026-06-02T10:00:00+02:00",
                       "planned_minutes": 30},
         lambda w: w.nurse_a.public_id, "nurse"),
    Case("visit log done_interventions", "post", _visit_b_log,
         lambda w, b: {"done_interventions": [ID]},
         lambda w: w.intervention_a.public_id, "done_interventions"),
    Case("visit log rating client_problem", "post", _visit_b_log,
         lambda w, b: {"ratings": [{"client_problem": ID, "knowledge": 3, "behavior": 3,
                                    "status": 3}]},
         lambda w: w.client_problem_a.public_id, "ratings"),
    Case("series client", "post", _series, lambda w, b: {**_series_payload(w, b), "client": ID},
         lambda w: w.client_a.public_id, "client"),
    Case("series nurse", "post", _series, lambda w, b: {**_series_payload(w, b), "nurse": ID},
         lambda w: w.nurse_a.public_id, "nurse"),
    Case("thread space", "post", lambda w, b: reverse("api-thread-list"),
         lambda w, b: {"space": ID, "subject": "Rota", "body": "Who swaps Friday?"},
         lambda w: w.space_a.public_id, "space"),
    Case("report team", "post", lambda w, b: reverse("api-report-list"),
         lambda w, b: {"scope": "team", "team": ID, "period_start": "2026-01-01",
                       "period_end": "2026-03-31"},
         lambda w: w.team_a.public_id, "team"),
]  # fmt: skip


def _fill(value: Any, public_id: str) -> Any:  # noqa: ANN401
    if value == ID:
        return public_id
    if isinstance(value, dict):
        return {k: _fill(v, public_id) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, public_id) for v in value]
    return value


def _send(api: APIClient, case: Case, world: World, team_b: TeamB, public_id: str):
    payload = _fill(case.payload(world, team_b), public_id)
    response = getattr(api, case.method)(case.url(world, team_b), payload, format="json")
    return response.status_code, response.content.decode().replace(public_id, ID)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_another_teams_id_answers_like_an_id_that_exists_nowhere(
    world: World, team_b: TeamB, case: Case
) -> None:
    # given: team B's nurse, and an id of team A's next to one that exists nowhere
    api = APIClient()
    api.force_authenticate(world.nurse_b)
    foreign = str(case.foreign(world))
    made_up = str(uuid.uuid4())
    # when
    foreign_answer = _send(api, case, world, team_b, foreign)
    made_up_answer = _send(api, case, world, team_b, made_up)
    # then: the same refusal, naming the field, for both
    assert foreign_answer == made_up_answer
    status, body = made_up_answer
    assert status == 400, body
    assert f'"{case.field}"' in body


def test_a_space_not_yours_keeps_its_message(world: World) -> None:
    api = APIClient()
    api.force_authenticate(world.nurse_b)
    response = api.post(
        reverse("api-thread-list"),
        {"space": str(world.space_a.public_id), "subject": "Hi", "body": "Hello"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"space": [SPACE_NOT_YOURS]}


def test_own_team_objects_still_resolve(world: World, team_b: TeamB) -> None:
    # given: team B's nurse plans a visit for her own client, naming her own intervention
    api = APIClient()
    api.force_authenticate(world.nurse_b)
    payload = {
        **_visit_payload(world, team_b),
        "planned_interventions": [str(team_b.intervention.public_id)],
    }
    # when
    response = api.post(reverse("api-visit-list"), payload, format="json")
    # then
    assert response.status_code == 201, response.content
    assert response.json()["client"] == str(team_b.client.public_id)


def test_a_covering_teams_nurse_still_resolves(world: World, team_b: TeamB) -> None:
    """A nurse of a team that covers team B by arrangement may be named on B's visits: the
    service decides by the day, so the field must not refuse her."""
    # given: team A covers team B; a nurse of team A
    CoverArrangementFactory(covering_team=world.team_a, covered_team=world.team_b)
    covering_nurse = MembershipFactory(team=world.team_a, seat=2).nurse
    api = APIClient()
    api.force_authenticate(world.nurse_b)
    # when
    response = api.put(
        reverse("api-visit-detail", kwargs={"id": team_b.visit.public_id}),
        {
            "nurse": str(covering_nurse.public_id),
            "starts_at": "2026-06-02T09:00:00+02:00",
            "planned_minutes": 30,
        },
        format="json",
    )
    # then: the field resolved her; what follows is the service's rule, not "does not exist"
    assert "does not exist" not in response.content.decode()


def test_an_input_without_the_caller_is_refused_loudly(world: World) -> None:
    data = VisitInput(data={"client": str(uuid.uuid4())})
    with pytest.raises(ImproperlyConfigured, match="resolves ids through the caller"):
        data.is_valid()
    assert MISSING_USER_CONTEXT.startswith("This serializer resolves ids")
