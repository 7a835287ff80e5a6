"""Passwords are stored with Argon2id (buurtzorg.passwords.Argon2idPasswordHasher); a PBKDF2
hash made before is replaced by an Argon2id one at its owner's next login through the form.

The test settings hash with MD5 for speed, so these tests use the production list of hashers.
"""

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.test import Client, override_settings
from django.urls import reverse

from buurtzorg.passwords import Argon2idPasswordHasher
from tests.factories import NurseFactory

pytestmark = pytest.mark.django_db

PRODUCTION_HASHERS = [
    "buurtzorg.passwords.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
PASSWORD = "lantern-orchard-57-pebble"


def test_production_settings_list_argon2id_first_and_keep_pbkdf2_readable() -> None:
    from buurtzorg.settings import base

    assert base.PASSWORD_HASHERS == PRODUCTION_HASHERS


@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_a_new_password_is_stored_as_argon2id_with_our_parameters() -> None:
    encoded = make_password(PASSWORD)
    # argon2$argon2id$v=19$m=32768,t=2,p=1$<salt>$<hash>
    assert encoded.startswith("argon2$argon2id$v=19$m=32768,t=2,p=1$")
    assert isinstance(identify_hasher(encoded), Argon2idPasswordHasher)
    assert check_password(PASSWORD, encoded)
    assert not check_password("lantern-orchard-57-pebbles", encoded)


@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_a_pbkdf2_hash_is_upgraded_to_argon2id_at_the_next_login() -> None:
    # given a nurse whose password was stored before the switch (Django's PBKDF2 default)
    nurse = NurseFactory()
    nurse.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    nurse.save(update_fields=["password"])
    assert nurse.password.startswith("pbkdf2_sha256$")
    # when she logs in through the form
    browser = Client()
    response = browser.post(reverse("login"), {"username": nurse.username, "password": PASSWORD})
    # then she is in, and her password is now stored as Argon2id (still the same password)
    assert response.status_code == 302
    assert browser.get(reverse("scheduling:my-day")).status_code == 200
    nurse.refresh_from_db()
    assert nurse.password.startswith("argon2$argon2id$v=19$m=32768,t=2,p=1$")
    assert nurse.check_password(PASSWORD)
    # and the next login reads the new hash and leaves it as it is
    stored = nurse.password
    again = Client().post(reverse("login"), {"username": nurse.username, "password": PASSWORD})
    assert again.status_code == 302
    nurse.refresh_from_db()
    assert nurse.password == stored


@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_a_wrong_password_does_not_upgrade_the_hash() -> None:
    nurse = NurseFactory()
    nurse.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    nurse.save(update_fields=["password"])
    stored = nurse.password
    response = Client().post(
        reverse("login"), {"username": nurse.username, "password": "wrong-horse-battery-9"}
    )
    assert response.status_code == 200  # the form again, with its message
    nurse.refresh_from_db()
    assert nurse.password == stored
