"""Optional TOTP two-factor login (django-otp): what each session still owes, and API tokens.

Which step a session still owes is decided once, at login, and kept in the session, so the
middleware that enforces it costs no query on ordinary requests.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django_otp import user_has_device
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

OTP_STATE_KEY = "_otp_state"
OTP_NONE = "none"  # no device, not required
OTP_VERIFY = "verify"  # has a confirmed device: must enter a code
OTP_SETUP = "setup"  # role requires two-factor login but no device yet

TOKEN_REFUSED = (
    "API tokens are not accepted for accounts with two-factor login; use the web session."
)


def otp_required_for(user: Any) -> bool:
    return getattr(user, "role", None) in settings.OTP_REQUIRED_ROLES


def otp_state_for(user: Any) -> str:
    """What a fresh login of `user` still owes (one query)."""
    if user_has_device(user, confirmed=True):
        return OTP_VERIFY
    return OTP_SETUP if otp_required_for(user) else OTP_NONE


def otp_state(request: HttpRequest) -> str:
    """The session's owed step; computed (and kept) if the session predates this code."""
    state = request.session.get(OTP_STATE_KEY)
    if state is None:
        state = request.session[OTP_STATE_KEY] = otp_state_for(request.user)
    return state


class TokenWithoutTwoFactorAuthentication(TokenAuthentication):
    """DRF token authentication that refuses accounts using two-factor login.

    A token is exchanged for a password alone, so accepting it would skip the second
    factor. Such accounts use the API through their (verified) web session instead.
    """

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        if otp_required_for(user) or user_has_device(user, confirmed=True):
            raise AuthenticationFailed(TOKEN_REFUSED)
        return user, token
