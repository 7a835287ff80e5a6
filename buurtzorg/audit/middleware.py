import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from pghistory.middleware import HistoryMiddleware

from buurtzorg.audit.context import bound_request
from buurtzorg.audit.twofactor import OTP_SETUP, OTP_STATE_KEY, OTP_VERIFY, otp_state, otp_state_for

LOGIN_AT_KEY = "_login_at"
SEEN_AT_KEY = "_seen_at"  # when the session was last saved for being used (idle limit)
TWO_FACTOR_REQUIRED = "Two-factor verification required."


class RequestIdMiddleware:
    """Give every request an id made here, and bind it (with address and path) for the log.

    The id is always the server's own: a client-supplied `X-Request-ID` would let anyone
    write what they like into the access log. The response carries the id, so a support
    question can name the log rows of one request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = uuid.uuid4()  # type: ignore[attr-defined]
        with bound_request(request, request.request_id):  # type: ignore[attr-defined]
            response = self.get_response(request)
        response["X-Request-ID"] = str(request.request_id)  # type: ignore[attr-defined]
        return response


class HistoryContextMiddleware(HistoryMiddleware):
    """Attach who (user id), where (path) and which request to every history event.

    django-pghistory prefixes each write with `set_config('pghistory.context...')`, which is
    PostgreSQL SQL; on the embedded SQLite set-up there are no history triggers, so the
    middleware stands aside there.
    """

    def get_context(self, request: HttpRequest) -> dict[str, Any]:
        context = super().get_context(request)
        context["request_id"] = str(getattr(request, "request_id", ""))
        return context

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if connection.vendor != "postgresql":
            return self.get_response(request)
        return super().__call__(request)


def session_mark_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """`user_logged_in` receiver: note when the session began and what 2FA step it owes.

    Django's own login hook (also used by django-axes) is the one place every login passes,
    form and test client alike; doing this here keeps ordinary requests free of queries.
    """
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[LOGIN_AT_KEY] = now
    request.session[SEEN_AT_KEY] = now
    request.session[OTP_STATE_KEY] = otp_state_for(user)


class SessionAbsoluteTimeoutMiddleware:
    """End a session 12 hours (SESSION_ABSOLUTE_MAX_AGE) after login, however active, and
    keep a used session alive for SESSION_COOKIE_AGE (30 minutes) more.

    Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) would cost every page
    view a write (BEGIN, UPDATE, COMMIT) for the sake of moving the expiry on. Instead a
    logged-in session is marked for saving when its last save is SESSION_REFRESH_SECONDS
    (60) or more ago: the save moves the expiry in the database, the cache and the cookie
    30 minutes on. So the idle limit holds to within a minute (a session ends 29 to 30
    minutes after its last use), at one write a minute per active user.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_KEY):
            now = time.time()
            login_at = session.get(LOGIN_AT_KEY)
            if login_at is None:
                session[LOGIN_AT_KEY] = now
            elif now - login_at > settings.SESSION_ABSOLUTE_MAX_AGE.total_seconds():
                logout(request)
                return self.get_response(request)
            seen_at = session.get(SEEN_AT_KEY)
            if seen_at is None or now - seen_at >= settings.SESSION_REFRESH_SECONDS:
                session[SEEN_AT_KEY] = now  # modified: saved with a fresh expiry
        return self.get_response(request)


class TwoFactorMiddleware:
    """Hold a logged-in session at the 2FA step it owes (verify a code, or set one up)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is None or not session.get(SESSION_KEY):
            return self.get_response(request)
        state = otp_state(request)
        if state == OTP_VERIFY and not request.user.is_verified():
            return self._hold(request, "audit:otp-verify")
        if state == OTP_SETUP:
            return self._hold(request, "audit:otp-setup")
        return self.get_response(request)

    def _hold(self, request: HttpRequest, url_name: str) -> HttpResponse:
        target = reverse(url_name)
        if request.path in (target, reverse("logout")) or request.path.startswith(
            "/" + settings.STATIC_URL.lstrip("/")
        ):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": TWO_FACTOR_REQUIRED}, status=403)
        return redirect(f"{target}?next={quote(request.get_full_path())}")
