"""One answer for "not yours" and "does not exist" (issue 20, item 10): another team's id, an
id that exists nowhere and a malformed one answer alike, on pages (404), in query strings
(404) and in API bodies (the same 400 and message)."""

import uuid

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ids(access_world) -> dict[str, str]:
    return {
        "other team's": str(ClientFactory(team=access_world.team_b).public_id),
        "made up": str(uuid.uuid4()),
        "malformed": "not-a-uuid",
    }


def test_pages_answer_404_alike(client, access_world, ids) -> None:
    client.force_login(access_world.nurse_a)
    answers = {}
    for kind, value in ids.items():
        answers[kind] = (
            client.get(f"/clients/{value}/").status_code,
            client.get(reverse("scheduling:planning"), {"team": value}).status_code,
        )
    assert set(answers.values()) == {(404, 404)}, answers


def test_api_paths_answer_404_alike(access_world, ids) -> None:
    api = APIClient()
    api.force_authenticate(access_world.nurse_a)
    answers = {kind: api.get(f"/api/clients/{value}/").status_code for kind, value in ids.items()}
    assert set(answers.values()) == {404}, answers


def test_api_bodies_answer_the_same_400_and_message(access_world, ids) -> None:
    api = APIClient()
    api.force_authenticate(access_world.nurse_a)
    answers = {}
    for kind, value in ids.items():
        response = api.post(
            reverse("api-visit-list"),
            {"client": value, "starts_at": "2026-06-02T09:00:00+02:00", "planned_minutes": 30},
            format="json",
        )
        answers[kind] = (response.status_code, response.json().get("client"))
    assert len(set(map(str, answers.values()))) == 1, answers
    assert next(iter(answers.values()))[0] == 400
