"""DRF authentication for the API: tokens that expire.

Its own module (not buurtzorg.api): DRF imports the authentication classes named in
settings while `rest_framework.views` loads, and buurtzorg.api imports that module.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions

from buurtzorg.audit.services import api_token_discard_expired, api_token_expired
from buurtzorg.audit.twofactor import TokenWithoutTwoFactorAuthentication

TOKEN_EXPIRED = _("This API token has expired; ask POST /api/auth/token/ for a new one.")


class ExpiringTokenAuthentication(TokenWithoutTwoFactorAuthentication):
    """DRF token authentication where a token lives settings.API_TOKEN_TTL (12 hours).

    An expired token is refused and deleted. Together with logout and password change, which
    delete her tokens (`buurtzorg.audit.services.api_tokens_revoke`), a stolen token is good
    for hours at most, and never after she has signed out or changed her password. The
    two-factor backstop of the parent class still applies.
    """

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        if api_token_expired(token):
            api_token_discard_expired(token=token)
            raise exceptions.AuthenticationFailed(TOKEN_EXPIRED)
        return user, token
