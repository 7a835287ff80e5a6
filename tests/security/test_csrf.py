"""POSTs without a CSRF token are refused, plain forms, htmx and session-authenticated API alike."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import AdminFactory, NurseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_client() -> Client:
    return Client(enforce_csrf_checks=True)


def _csrf_token(http: Client, url: str) -> str:
    http.get(url)
    return http.cookies["csrftoken"].value


def test_form_post_without_token_is_refused(strict_client) -> None:
    strict_client.force_login(AdminFactory())
    response = strict_client.post(reverse("teams:team-create"), {"name": "Team X"})
    assert response.status_code == 403


def test_htmx_post_without_token_is_refused_and_with_header_token_accepted(strict_client) -> None:
    strict_client.force_login(AdminFactory())
    url = reverse("teams:neighbourhood-create")
    refused = strict_client.post(url, {"name": "Oost"}, headers={"HX-Request": "true"})
    token = _csrf_token(strict_client, url)
    accepted = strict_client.post(
        url, {"name": "Oost"}, headers={"HX-Request": "true", "X-CSRFToken": token}
    )
    assert refused.status_code == 403
    assert accepted.status_code != 403


def test_base_template_sends_the_token_in_hx_headers(client) -> None:
    client.force_login(NurseFactory())
    page = client.get(reverse("teams:team-list")).content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in page


def test_session_api_post_without_token_is_refused(strict_client) -> None:
    strict_client.force_login(AdminFactory())
    response = strict_client.post(
        "/api/neighbourhoods/",
        {"name": "Noord", "postcodes": ["7511"], "population_estimate": 100},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_logout_by_get_or_without_token_is_refused(strict_client) -> None:
    nurse = NurseFactory()
    strict_client.force_login(nurse)
    assert strict_client.get(reverse("logout")).status_code == 405
    assert strict_client.post(reverse("logout")).status_code == 403
    assert strict_client.session.get("_auth_user_id") == str(nurse.pk)
