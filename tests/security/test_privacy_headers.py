"""Responses with client data are never stored by a browser or proxy; every response carries a
Permissions-Policy (issue 20 item 14)."""

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def _no_store(response) -> bool:  # noqa: ANN001
    return "no-store" in response.get("Cache-Control", "")


def test_client_pages_and_gdpr_export_are_no_store(client, access_world) -> None:
    record = ClientFactory(team=access_world.team_a)
    client.force_login(access_world.nurse_a)
    for url in (
        reverse("clients:client-list"),
        reverse("clients:client-detail", args=[record.public_id]),
        reverse("clients:client-export", args=[record.public_id]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _no_store(response), url
        assert response["Permissions-Policy"] == settings.PERMISSIONS_POLICY


def test_the_client_api_with_a_token_is_no_store(access_world) -> None:
    record = ClientFactory(team=access_world.team_a)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=access_world.nurse_a)}")
    for name in ("api-client-detail", "api-client-export"):
        response = api.get(reverse(name, args=[record.public_id]))
        assert response.status_code == 200, name
        assert _no_store(response), name
    refused = api.get(reverse("api-client-detail", args=[ClientFactory().public_id]))
    assert refused.status_code == 404
    assert _no_store(refused)


def test_anonymous_pages_carry_the_permissions_policy(client) -> None:
    response = client.get(reverse("login"))
    assert response.status_code == 200
    policy = response["Permissions-Policy"]
    assert "camera=()" in policy
    assert "geolocation=()" in policy
    assert "microphone=()" in policy
