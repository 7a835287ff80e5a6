"""Optional TOTP two-factor login (django-otp): what each session still owes, and API tokens.

Which step a session still owes is decided once, at login, and kept in the session, so the
middleware that enforces it costs no query on ordinary requests.
"""

from typing import Any

from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

OTP_STATE_KEY = "_otp_state"
OTP_NONE = "none"  # no device, not required
OTP_VERIFY = "verify"  # has a confirmed device: must enter a code
OTP_SETUP = "setup"  # role requires two-factor login but no device yet

TOKEN_REFUSED = _(
    "This API token was not issued with a two-factor code; ask POST /api/auth/token/ for a new "
    "one with otp_token, or use the web session."
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
    """DRF token authentication that never lets a token skip the second factor.

    `api_token_issue` asks accounts with two-factor login for a code before it hands out a
    token, and confirming a device deletes older tokens. As a backstop (a device confirmed
    some other way, e.g. in the Django admin), a token older than the account's newest
    confirmed device is refused, and so is any token of a role that requires two-factor
    login but has no device yet. One query per token request.
    """

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        newest = TOTPDevice.objects.filter(user=user, confirmed=True).aggregate(
            newest=Max("created_at")
        )["newest"]
        if (newest is None and otp_required_for(user)) or (
            newest is not None and token.created < newest
        ):
            raise AuthenticationFailed(TOKEN_REFUSED)
        return user, token
