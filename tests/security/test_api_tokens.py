"""API tokens expire (settings.API_TOKEN_TTL, 12 hours by default) and die with logout and
with a password change (issue 20 item 8)."""

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from buurtzorg.authentication import TOKEN_EXPIRED
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"  # tests/factories/teams.py
NEW_PASSWORD = "lantern-orchard-57-pebble"


def _issue(api: APIClient, username: str = "noor") -> str:
    response = api.post(reverse("api-token"), {"username": username, "password": PASSWORD})
    assert response.status_code == 200
    return response.json()["token"]


def _get(key: str):  # noqa: ANN202
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.get(reverse("api-team-list"))


def _age(key: str, by: dt.timedelta) -> None:
    Token.objects.filter(key=key).update(created=timezone.now() - by)


def test_the_default_lifetime_is_12_hours() -> None:
    from django.conf import settings  # noqa: PLC0415

    assert dt.timedelta(hours=12) == settings.API_TOKEN_TTL


def test_a_token_older_than_its_lifetime_is_refused_and_deleted() -> None:
    UserFactory(username="noor")
    key = _issue(APIClient())
    _age(key, dt.timedelta(hours=11, minutes=59))
    assert _get(key).status_code == 200
    _age(key, dt.timedelta(hours=12, seconds=1))
    refused = _get(key)
    assert refused.status_code == 403  # refused (the first class, sessions, names no 401 scheme)
    assert refused.json()["detail"] == str(TOKEN_EXPIRED)
    assert not Token.objects.filter(key=key).exists()


@override_settings(API_TOKEN_TTL=dt.timedelta(minutes=5))
def test_the_lifetime_is_configurable_and_a_new_token_replaces_an_expired_one() -> None:
    UserFactory(username="noor")
    key = _issue(APIClient())
    _age(key, dt.timedelta(minutes=6))
    fresh = _issue(APIClient())  # asked for again before the old one was used
    assert fresh != key
    assert _get(fresh).status_code == 200
    assert _get(key).status_code == 403


def test_logging_out_deletes_her_api_tokens_only() -> None:
    noor = UserFactory(username="noor")
    UserFactory(username="sanne")
    key, other = _issue(APIClient()), _issue(APIClient(), "sanne")
    browser = Client()
    browser.force_login(noor)
    assert browser.post(reverse("logout")).status_code == 302
    assert _get(key).status_code == 403
    assert _get(other).status_code == 200


def test_changing_her_password_deletes_her_api_tokens_and_keeps_her_signed_in() -> None:
    noor = UserFactory(username="noor")
    key = _issue(APIClient())
    browser = Client()
    browser.force_login(noor)
    page = browser.get(reverse("audit:password-change"))
    assert page.status_code == 200
    assert 'name="old_password"' in page.content.decode()
    response = browser.post(
        reverse("audit:password-change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("audit:password-change-done")
    noor.refresh_from_db()
    assert noor.check_password(NEW_PASSWORD)
    assert _get(key).status_code == 403
    assert browser.get(reverse("audit:password-change-done")).status_code == 200


def test_a_wrong_old_password_changes_nothing() -> None:
    noor = UserFactory(username="noor")
    key = _issue(APIClient())
    browser = Client()
    browser.force_login(noor)
    response = browser.post(
        reverse("audit:password-change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    assert _get(key).status_code == 200
