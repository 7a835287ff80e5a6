import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from teams.models import Membership
from tests.factories import NeighbourhoodFactory, NurseFactory, UserFactory, team_with_nurses

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def test_token_login_and_use(api) -> None:
    UserFactory(username="noor", role="nurse", password="correct-horse-battery")
    response = api.post(
        reverse("api-token"), {"username": "noor", "password": "correct-horse-battery"}
    )
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION="Token " + response.json()["token"])
    assert api.get(reverse("api-team-list")).status_code == 200


def test_token_with_bad_password_is_400(api) -> None:
    UserFactory(username="noor", password="correct-horse-battery")
    response = api.post(reverse("api-token"), {"username": "noor", "password": "wrong"})
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_thirteenth_member_via_api_is_400_with_field_error(api, admin_user) -> None:
    team, _ = team_with_nurses(12)
    api.force_authenticate(admin_user)
    response = api.post(
        reverse("api-team-members", args=[team.public_id]),
        {"nurse": str(NurseFactory().public_id)},
        format="json",
    )
    assert response.status_code == 400
    assert "already has 12 nurses" in response.json()["nurse"][0]
    assert Membership.objects.filter(team=team).count() == 12


def test_member_list_and_add(api, admin_user) -> None:
    team, nurses = team_with_nurses(2)
    api.force_authenticate(admin_user)
    new = NurseFactory()
    created = api.post(
        reverse("api-team-members", args=[team.public_id]),
        {"nurse": str(new.public_id), "contracted_hours": "20"},
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["seat"] == 3
    listed = api.get(reverse("api-team-members", args=[team.public_id])).json()
    assert listed["count"] == 3


def test_neighbourhood_api_rejects_duplicate_postcode(api, admin_user) -> None:
    api.force_authenticate(admin_user)
    ok = api.post(
        reverse("api-neighbourhood-list"),
        {"name": "Oost", "postcodes": ["1091"], "population_estimate": 100},
        format="json",
    )
    assert ok.status_code == 201
    dup = api.post(
        reverse("api-neighbourhood-list"),
        {"name": "West", "postcodes": ["1091"], "population_estimate": 100},
        format="json",
    )
    assert dup.status_code == 400
    assert "1091 already belongs to Oost" in dup.json()["postcodes"][0]


def test_nurse_cannot_create_teams_or_read_neighbourhoods(api, access_world) -> None:
    api.force_authenticate(access_world.nurse_a)
    assert api.get(reverse("api-neighbourhood-list")).status_code == 403
    response = api.post(
        reverse("api-team-list"),
        {"name": "X", "neighbourhood": str(NeighbourhoodFactory().public_id)},
        format="json",
    )
    assert response.status_code == 403


def test_nurse_sees_only_her_team_and_other_is_404(api, access_world) -> None:
    api.force_authenticate(access_world.nurse_a)
    names = [t["name"] for t in api.get(reverse("api-team-list")).json()["results"]]
    assert names == ["Team A"]
    other = api.get(reverse("api-team-detail", args=[access_world.team_b.public_id]))
    assert other.status_code == 404


def test_schema_and_docs_are_served(client, admin_user) -> None:
    client.force_login(admin_user)
    schema = client.get(reverse("api-schema"))
    assert schema.status_code == 200
    assert b"/api/teams/{id}/members/" in schema.content
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 200
    # Every script and stylesheet is our own: nothing loads from another host (no CDN).
    assert not re.search(rb'(src|href)="(https?:)?//', docs.content)


def test_schema_documents_the_two_factor_code_of_the_token_request(client, admin_user) -> None:
    import yaml

    client.force_login(admin_user)
    schema = yaml.safe_load(client.get(reverse("api-schema")).content)
    token_input = schema["components"]["schemas"]["TokenInputRequest"]
    assert "otp_token" in token_input["properties"]
    assert set(token_input["required"]) == {"username", "password"}
    assert "otp_token" in schema["paths"]["/api/auth/token/"]["post"]["description"]
