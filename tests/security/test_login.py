"""Login hardening: lockout per user and per address, session limits, two-factor login."""

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from buurtzorg.audit.lockout import client_ip
from buurtzorg.audit.middleware import LOGIN_AT_KEY, SEEN_AT_KEY
from buurtzorg.audit.services import (
    OTP_SETUP_FIRST,
    OTP_TOKEN_MISSING,
    OTP_TOKEN_WRONG,
    otp_device_confirm,
    otp_device_start,
)
from buurtzorg.audit.twofactor import TOKEN_REFUSED
from tests.factories import AdminFactory, NurseFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # tests/factories/teams.py
LOGIN = "/accounts/login/"


def _login(client, username: str, password: str, ip: str = "10.0.0.1", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def _code(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=drift):06d}"


def test_five_failures_lock_the_username_for_fifteen_minutes(client) -> None:
    # given
    nurse = NurseFactory()
    for _ in range(4):
        assert _login(client, nurse.username, "wrong-password-123").status_code == 200
    # when the fifth failure happens, and then the right password is tried
    fifth = _login(client, nurse.username, "wrong-password-123")
    locked = _login(client, nurse.username, PASSWORD, ip="10.0.0.2")  # even from elsewhere
    # then
    assert fifth.status_code == 429
    assert locked.status_code == 429
    assert b"Too many failed logins" in locked.content
    assert "_auth_user_id" not in client.session
    assert AccessFailureLog.objects.filter(username=nurse.username).count() >= 5
    # and after 15 minutes the right password works again
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _login(client, nurse.username, PASSWORD, ip="10.0.0.2").status_code == 302
    assert AccessLog.objects.filter(username=nurse.username).exists()  # success logged


def test_five_failures_from_one_address_lock_that_address(client) -> None:
    # given five failed logins for five different usernames from one address
    for n in range(5):
        _login(client, f"nobody{n}", "wrong-password-123", ip="10.0.0.9")
    nurse = NurseFactory()
    # when / then: that address is locked, a spoofed X-Forwarded-For does not help
    assert _login(client, nurse.username, PASSWORD, ip="10.0.0.9").status_code == 429
    spoofed = _login(
        client, nurse.username, PASSWORD, ip="10.0.0.9", HTTP_X_FORWARDED_FOR="10.9.9.9"
    )
    assert spoofed.status_code == 429
    # but another address is not
    assert _login(client, nurse.username, PASSWORD, ip="10.0.0.10").status_code == 302


def _own_login(username: str, ip: str) -> int:
    """The attacker logs into her own account (a fresh browser each time)."""
    return _login(Client(), username, PASSWORD, ip=ip).status_code


def test_own_successful_logins_do_not_reset_the_lock_on_a_colleague(client) -> None:
    # given a nurse who guesses a colleague's password, logging into her own account between
    # the guesses (a success used to forgive every failure from her address)
    attacker, colleague = NurseFactory(), NurseFactory()
    guesses = []
    for n in range(16):
        _own_login(attacker.username, ip="10.0.2.1")
        guess = _login(client, colleague.username, f"guess-{n}-password", ip="10.0.2.1")
        guesses.append(guess.status_code)
    # then the colleague's username locks at the fifth wrong password and stays locked
    assert guesses == [200] * 4 + [429] * 12
    assert _login(Client(), colleague.username, PASSWORD, ip="10.0.2.99").status_code == 429
    # and so does the attacker's address, her own account included
    assert _own_login(attacker.username, ip="10.0.2.1") == 429


def test_spraying_one_password_over_many_usernames_locks_the_address() -> None:
    # given twelve colleagues and someone at one address who logs into her own account
    # between tries of one password on each of them
    attacker = NurseFactory()
    colleagues = NurseFactory.create_batch(12)
    tries = []
    for colleague in colleagues:
        _own_login(attacker.username, ip="10.0.3.1")
        tries.append(_login(Client(), colleague.username, "Summer2026!", ip="10.0.3.1").status_code)
    # then the address locks at the fifth failure
    assert tries == [200] * 4 + [429] * 8
    # when she keeps hammering one colleague from her locked address
    for _ in range(10):
        _login(Client(), colleagues[0].username, "Summer2026!", ip="10.0.3.1")
    # then that is not counted against the colleague: nobody else is locked out
    for colleague in (colleagues[0], colleagues[4], colleagues[11]):
        assert _login(Client(), colleague.username, PASSWORD, ip="10.0.3.2").status_code == 302


def test_behind_a_trusted_proxy_the_forwarded_client_is_counted(settings) -> None:
    # given a reverse proxy at 10.0.4.2 that appends the address it was connected from
    settings.TRUSTED_PROXIES = ["10.0.4.0/24"]
    nurse = NurseFactory()

    def via_proxy(username: str, password: str, forwarded: str) -> int:
        response = _login(
            Client(), username, password, ip="10.0.4.2", HTTP_X_FORWARDED_FOR=forwarded
        )
        return response.status_code

    # when one outsider fails five times, writing a new X-Forwarded-For of her own each time
    for n in range(5):
        via_proxy(f"nobody{n}", "wrong-password-123", f"198.51.100.{n}, 203.0.113.7")
    # then her address is locked, however she fills in the header
    assert AccessAttempt.objects.filter(ip_address="203.0.113.7").count() == 5
    assert via_proxy(nurse.username, PASSWORD, "203.0.113.7") == 429
    assert via_proxy(nurse.username, PASSWORD, "192.0.2.1, 203.0.113.7") == 429
    # and everyone else behind the same proxy still logs in
    assert via_proxy(nurse.username, PASSWORD, "203.0.113.8") == 302


def test_an_untrusted_senders_forwarded_for_is_ignored(settings) -> None:
    # given a trusted proxy elsewhere, and a client that talks to the app directly
    settings.TRUSTED_PROXIES = ["10.0.4.2"]
    nurse = NurseFactory()
    # when she fails five times, claiming a different address each time
    for n in range(5):
        _login(
            Client(),
            f"nobody{n}",
            "wrong-password-123",
            ip="198.51.100.9",
            HTTP_X_FORWARDED_FOR=f"10.0.4.{n + 10}",
        )
    # then her own address is what was counted and locked
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.9"}
    assert _login(Client(), nurse.username, PASSWORD, ip="198.51.100.9").status_code == 429


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("203.0.113.5", "", "203.0.113.5"),
        ("203.0.113.5", "198.51.100.1", "203.0.113.5"),  # not a proxy: header ignored
        ("10.0.4.2", "", "10.0.4.2"),
        ("10.0.4.2", "203.0.113.7", "203.0.113.7"),
        ("10.0.4.2", "spoof, 198.51.100.1, 203.0.113.7", "203.0.113.7"),
        ("10.0.4.2", "203.0.113.7, 10.0.4.3", "203.0.113.7"),  # two proxies in a row
        ("10.0.4.2", "203.0.113.7, not-an-address", "10.0.4.2"),
    ],
)
def test_client_address_resolution(
    settings, rf, remote: str, forwarded: str, expected: str
) -> None:
    settings.TRUSTED_PROXIES = ["10.0.4.0/24"]
    request = rf.post(LOGIN, REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_api_token_login_is_locked_out_too() -> None:
    nurse = NurseFactory()
    api = APIClient(REMOTE_ADDR="10.0.1.1")
    url = reverse("api-token")
    statuses = [
        api.post(url, {"username": nurse.username, "password": "nope-nope-nope"}).status_code
        for _ in range(5)
    ]
    after = api.post(url, {"username": nurse.username, "password": PASSWORD})
    assert statuses[:4] == [400, 400, 400, 400]
    assert after.status_code in (403, 429)
    assert "token" not in after.content.decode()


def test_session_ends_after_twelve_hours_however_active(client, settings) -> None:
    # given
    nurse = NurseFactory()
    client.force_login(nurse)
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    session = client.session
    assert session[LOGIN_AT_KEY] == pytest.approx(time.time(), abs=60)
    # when the login was 12 hours and a minute ago
    session[LOGIN_AT_KEY] = time.time() - 12 * 3600 - 60
    session.save()
    response = client.get(reverse("teams:team-list"))
    # then
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_session_younger_than_twelve_hours_continues(client) -> None:
    client.force_login(NurseFactory())
    session = client.session
    session[LOGIN_AT_KEY] = time.time() - 11 * 3600
    session.save()
    assert client.get(reverse("teams:team-list")).status_code == 200


@override_settings(OTP_REQUIRED_ROLES=["admin", "back_office"])
def test_required_two_factor_sends_an_administrator_to_set_up_first(client) -> None:
    # given an administrator without a device logs in
    admin = AdminFactory()
    response = _login(client, admin.username, PASSWORD)
    # when she opens any page
    held = client.get(reverse("teams:team-list"))
    api = client.get("/api/teams/")
    # then she is held at the set-up page (and the API refuses)
    assert response.status_code == 302
    assert held.status_code == 302
    assert held["Location"].startswith(reverse("audit:otp-setup"))
    assert api.status_code == 403
    # when she sets up a device with a wrong and then a right code
    client.post(reverse("audit:otp-setup"), {"action": "start"})
    device = TOTPDevice.objects.get(user=admin)
    wrong = client.post(reverse("audit:otp-setup"), {"action": "confirm", "token": "000000"})
    # (a failure throttles the device for a second; skip the wait)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    right = client.post(
        reverse("audit:otp-setup"),
        {"action": "confirm", "token": _code(device), "next": "/teams/"},
    )
    # then
    assert wrong.status_code == 200
    assert str(OTP_TOKEN_WRONG) in wrong.content.decode()
    assert right.status_code == 302
    assert right["Location"] == "/teams/"
    assert client.get(reverse("teams:team-list")).status_code == 200


def test_nurse_with_a_device_must_enter_a_code_after_her_password(client) -> None:
    # given
    nurse = NurseFactory()
    device = TOTPDevice.objects.create(user=nurse, name="phone", confirmed=True)
    _login(client, nurse.username, PASSWORD)
    # when / then: held at the code step
    held = client.get(reverse("teams:team-list"))
    assert held["Location"].startswith(reverse("audit:otp-verify"))
    assert client.get(reverse("audit:otp-setup")).status_code == 302  # cannot remove it
    wrong = client.post(reverse("audit:otp-verify"), {"token": "123456"})
    assert wrong.status_code == 200
    assert str(OTP_TOKEN_WRONG) in wrong.content.decode()
    # (a failure throttles the device for a second; skip the wait)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    ok = client.post(reverse("audit:otp-verify"), {"token": _code(device), "next": "/teams/"})
    assert ok["Location"] == "/teams/"
    assert client.get(reverse("teams:team-list")).status_code == 200


def test_verify_page_refuses_an_offsite_next(client) -> None:
    nurse = NurseFactory()
    device = TOTPDevice.objects.create(user=nurse, name="phone", confirmed=True)
    _login(client, nurse.username, PASSWORD)
    ok = client.post(
        reverse("audit:otp-verify"), {"token": _code(device), "next": "https://evil.example/"}
    )
    assert ok["Location"] == "/"


def test_a_used_session_is_kept_alive_with_at_most_one_write_a_minute(client) -> None:
    # given a nurse who logged in just now
    nurse = NurseFactory()
    client.force_login(nurse)
    key = client.session.session_key
    first_expiry = Session.objects.get(session_key=key).expire_date
    # when she opens a page within the minute: no session write at all
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("teams:team-list")).status_code == 200
    assert not [q for q in queries if "django_session" in q["sql"]]
    # when her last save is over a minute old, the next page moves the expiry on
    session = client.session
    session[SEEN_AT_KEY] = time.time() - 61
    session.save()
    Session.objects.filter(session_key=key).update(expire_date=first_expiry - timedelta(minutes=1))
    assert client.get(reverse("teams:team-list")).status_code == 200
    refreshed = Session.objects.get(session_key=key)
    assert refreshed.expire_date > first_expiry - timedelta(seconds=5)
    assert refreshed.get_decoded()[SEEN_AT_KEY] == pytest.approx(time.time(), abs=60)


def test_an_idle_session_ends_after_thirty_minutes(client) -> None:
    # given a session whose expiry (30 minutes after its last save) has passed
    nurse = NurseFactory()
    client.force_login(nurse)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    cache.clear()  # the cached copy expires with it (cached_db sets its timeout the same)
    # when / then
    response = client.get(reverse("teams:team-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def _ask_token(api: APIClient, username: str, **extra: str):
    return api.post(reverse("api-token"), {"username": username, "password": PASSWORD, **extra})


def test_api_token_for_an_account_with_two_factor_login_needs_the_code() -> None:
    # given a nurse with a confirmed authenticator app
    nurse = NurseFactory()
    device = TOTPDevice.objects.create(user=nurse, name="phone", confirmed=True)
    api = APIClient()
    # when she asks with her password alone, or with a wrong code
    missing = _ask_token(api, nurse.username)
    wrong = _ask_token(api, nurse.username, otp_token=f"{(int(_code(device)) + 1) % 10**6:06d}")
    # then: 400 with an otp_token field error, and no token exists
    assert missing.status_code == 400
    assert missing.json() == {"otp_token": [OTP_TOKEN_MISSING]}
    assert wrong.status_code == 400
    assert wrong.json() == {"otp_token": [OTP_TOKEN_WRONG]}
    assert not Token.objects.filter(user=nurse).exists()
    # when she sends the current code (after the failure's throttle delay)
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    ok = _ask_token(api, nurse.username, otp_token=_code(device))
    # then she gets a token that the API accepts
    assert ok.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {ok.json()['token']}")
    assert api.get("/api/teams/").status_code == 200


def test_api_token_is_refused_to_a_role_that_must_set_up_two_factor_first(settings) -> None:
    settings.OTP_REQUIRED_ROLES = ["admin"]
    admin = AdminFactory()
    response = _ask_token(APIClient(), admin.username)
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [OTP_SETUP_FIRST]}
    assert not Token.objects.filter(user=admin).exists()


def test_confirming_an_app_ends_the_tokens_issued_on_the_password_alone(client) -> None:
    # given a nurse who took a token before she turned two-factor login on
    nurse = NurseFactory()
    api = APIClient()
    key = _ask_token(api, nurse.username).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/teams/").status_code == 200
    # when she sets up her app
    device = otp_device_start(user=nurse)
    otp_device_confirm(user=nurse, token=_code(device))
    # then the old token no longer works
    response = api.get("/api/teams/")
    assert response.status_code in (401, 403)
    assert not Token.objects.filter(key=key).exists()


def test_a_token_older_than_the_two_factor_device_is_refused() -> None:
    # given a token, then a device confirmed outside the set-up page (e.g. the admin)
    nurse = NurseFactory()
    token = Token.objects.create(user=nurse)
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - timedelta(minutes=5))
    TOTPDevice.objects.create(user=nurse, name="phone", confirmed=True)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    # when / then
    response = api.get("/api/teams/")
    assert response.status_code in (401, 403)
    assert response.json()["detail"] == TOKEN_REFUSED


def test_password_validators_require_twelve_characters(settings) -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="at least 12"):
        validate_password("Abc!defgh12")
