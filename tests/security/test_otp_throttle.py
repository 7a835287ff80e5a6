"""A wrong two-factor code counts against the device, even though the request then fails.

django-otp throttles a device after each wrong code (1 s, 2 s, 4 s, ...). The failure is
written on the device; if that write sits in the transaction the refusal rolls back, the
counter never moves and the six digits can be guessed without limit (issue 20, item 2).
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from buurtzorg.audit.services import (
    OTP_TOKEN_WRONG,
    api_token_issue,
    otp_device_confirm,
    otp_device_remove,
    otp_device_start,
)
from tests.factories import NurseFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # tests/factories/teams.py
WRONG_GUESSES = 4


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}"


def _wrong(device: TOTPDevice) -> str:
    return f"{(int(_code(device)) + 1) % 10**6:06d}"


def _wait_out_the_delay(device: TOTPDevice) -> None:
    """What an attacker does between guesses: wait until the device takes a code again."""
    TOTPDevice.objects.filter(pk=device.pk, throttling_failure_timestamp__isnull=False).update(
        throttling_failure_timestamp=timezone.now() - timedelta(hours=1)
    )


def _guess_wrong(device: TOTPDevice, attempt) -> None:
    for _ in range(WRONG_GUESSES):
        _wait_out_the_delay(device)
        attempt(_wrong(device))


def _throttled_now(device: TOTPDevice) -> TOTPDevice:
    """The device as the last wrong guess left it: its delay has just begun."""
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=timezone.now())
    device.refresh_from_db()
    return device


def test_wrong_codes_for_an_api_token_are_counted_and_throttle_the_device() -> None:
    # given a nurse with two-factor login, and someone who has her password
    nurse = NurseFactory()
    device = TOTPDevice.objects.create(user=nurse, name="phone", confirmed=True)
    api = APIClient()

    def ask(code: str) -> None:
        response = api.post(
            reverse("api-token"),
            {"username": nurse.username, "password": PASSWORD, "otp_token": code},
        )
        assert response.status_code == 400
        assert response.json() == {"otp_token": [OTP_TOKEN_WRONG]}

    # when they guess wrong codes
    _guess_wrong(device, ask)
    # then every guess was counted
    device = _throttled_now(device)
    assert device.throttling_failure_count == WRONG_GUESSES
    # and while the device is throttled even the right code is refused
    with pytest.raises(ValidationError, match="That code is not right"):
        api_token_issue(user=nurse, otp_token=_code(device))
    assert not Token.objects.filter(user=nurse).exists()


def test_wrong_codes_when_confirming_an_app_are_counted_and_throttle_the_device() -> None:
    # given a nurse who started the set-up
    nurse = NurseFactory()
    device = otp_device_start(user=nurse)

    def confirm(code: str) -> None:
        with pytest.raises(ValidationError, match="That code is not right"):
            otp_device_confirm(user=nurse, token=code)

    # when she (or someone at her unlocked screen) types wrong codes
    _guess_wrong(device, confirm)
    # then they were counted, and the right code waits for the delay
    device = _throttled_now(device)
    assert device.throttling_failure_count == WRONG_GUESSES
    confirm(_code(device))
    device.refresh_from_db()
    assert not device.confirmed
    # and once the delay has passed, the right code confirms the app
    _wait_out_the_delay(device)
    assert otp_device_confirm(user=nurse, token=_code(device)).confirmed


def test_wrong_codes_when_removing_two_factor_login_are_counted_and_throttle_the_device() -> None:
    # given a nurse with a confirmed app
    nurse = NurseFactory()
    device = TOTPDevice.objects.create(user=nurse, name="phone", confirmed=True)

    def remove(code: str) -> None:
        with pytest.raises(ValidationError, match="That code is not right"):
            otp_device_remove(user=nurse, token=code)

    # when someone at her unlocked screen guesses codes to turn it off
    _guess_wrong(device, remove)
    # then they were counted, and the right code waits for the delay
    device = _throttled_now(device)
    assert device.throttling_failure_count == WRONG_GUESSES
    remove(_code(device))
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_the_web_page_counts_wrong_codes_when_confirming(client) -> None:
    # given a nurse on the set-up page with a pending app
    nurse = NurseFactory()
    client.force_login(nurse)
    client.post(reverse("audit:otp-setup"), {"action": "start"})
    device = TOTPDevice.objects.get(user=nurse)
    # when she posts wrong codes
    for _ in range(WRONG_GUESSES):
        _wait_out_the_delay(device)
        response = client.post(
            reverse("audit:otp-setup"), {"action": "confirm", "token": _wrong(device)}
        )
        assert str(OTP_TOKEN_WRONG) in response.content.decode()
    # then
    device.refresh_from_db()
    assert device.throttling_failure_count == WRONG_GUESSES
