"""The password policy refuses organisation words, the published demo password, common words
with digits added and one-character runs (issue 20 item 16); the demo still logs in."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from buurtzorg.passwords import (
    PASSWORD_COMMON_WORD,
    PASSWORD_ORGANISATION_WORD,
    PASSWORD_PUBLISHED,
    PASSWORD_TOO_UNIFORM,
)
from teams.demo import DEMO_PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("buurtzorg2026", PASSWORD_ORGANISATION_WORD),
        ("Mijn-Buurt-Zorg-wachtwoord", PASSWORD_ORGANISATION_WORD),
        (DEMO_PASSWORD, PASSWORD_PUBLISHED),
        ("Demo-Password-2026!", PASSWORD_PUBLISHED),
        ("aaaaaaaaaaaa", PASSWORD_TOO_UNIFORM % {"min_unique": 5}),
        ("abababababab", PASSWORD_TOO_UNIFORM % {"min_unique": 5}),
        ("Password-2026!", PASSWORD_COMMON_WORD),
        ("sunshine_12345", PASSWORD_COMMON_WORD),
    ],
)
def test_weak_passwords_are_refused_with_their_reason(password: str, message: str) -> None:
    with pytest.raises(ValidationError, match=str(message)):
        validate_password(password)


@pytest.mark.parametrize(
    "password", ["correct-horse-battery", "plain-ladder-oak-1871", "lantern-orchard-57-pebble"]
)
def test_good_passphrases_pass(password: str) -> None:
    validate_password(password)


def test_the_demo_accounts_still_log_in_with_the_published_password() -> None:
    # given: an account made like the demo makes them (set_password runs no validator)
    user = UserFactory(username="demo-nurse")
    user.set_password(DEMO_PASSWORD)
    user.save()
    # then
    browser = Client()
    response = browser.post(reverse("login"), {"username": "demo-nurse", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert browser.get(reverse("audit:password-change")).status_code == 200


def test_the_password_change_page_refuses_a_weak_new_password() -> None:
    user = UserFactory(username="noor")
    browser = Client()
    browser.force_login(user)
    response = browser.post(
        reverse("audit:password-change"),
        {
            "old_password": "correct-horse-battery",
            "new_password1": "buurtzorg2026",
            "new_password2": "buurtzorg2026",
        },
    )
    assert response.status_code == 200
    assert str(PASSWORD_ORGANISATION_WORD) in response.context["form"].errors["new_password2"]
    user.refresh_from_db()
    assert user.check_password("correct-horse-battery")
