import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.db import DataError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.middleware import is_verified
from pghistory.middleware import HistoryMiddleware

from buurtzorg.audit.context import bound_request
from buurtzorg.audit.twofactor import OTP_SETUP, OTP_STATE_KEY, OTP_VERIFY, otp_state, otp_state_for

LOGIN_AT_KEY = "_login_at"
SEEN_AT_KEY = "_seen_at"  # when the session was last saved for being used (idle limit)
TWO_FACTOR_REQUIRED = _("Two-factor verification required.")
NUL_REFUSED = _("Request refused: it contains a NUL byte.")
VALUE_REFUSED = _("Request refused: a value in it cannot be stored.")
# Text bodies are checked whole for a NUL byte, raw or in the body's own escape: a form's
# percent-encoding (where a literal "%" is "%25"), JSON's \u0000. Multipart bodies are not
# read here (uploads are binary and may be large): a NUL in one of their text fields reaches
# the database as a DataError, which `process_exception` answers.
_NUL_ESCAPES = {
    "application/x-www-form-urlencoded": b"%00",
    "application/json": b"\\u0000",
    "text/plain": b"\x00",
}


class RejectNulBytesMiddleware:
    """Answer 400 to a request with a NUL byte in its path, query string or text body.

    PostgreSQL text cannot hold a NUL, so such a value used to travel down to the first
    query and fail there as a 500 (`?q=%00` on list pages, a NUL in a form or JSON field).
    No valid input of this application contains one, so it is refused at the door, once,
    for every route; a DataError that still escapes a view (a NUL in a multipart field, a
    number out of the column's range) is the client's input too, and is a 400 as well.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._has_nul(request):
            return HttpResponseBadRequest(str(NUL_REFUSED), content_type="text/plain")
        return self.get_response(request)

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "\x00" in query or "%00" in query:
            return True
        escape = _NUL_ESCAPES.get(request.content_type or "")
        if escape is None or request.method in ("GET", "HEAD"):
            return False
        body = request.body  # capped by DATA_UPLOAD_MAX_MEMORY_SIZE (a 400 beyond it)
        return b"\x00" in body or escape in body

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DataError):
            return HttpResponseBadRequest(str(VALUE_REFUSED), content_type="text/plain")
        return None


class PrivacyHeadersMiddleware:
    """`Cache-Control: no-store` on every response to a signed-in request; a
    Permissions-Policy on every response.

    What a signed-in person sees may be client data (a record page, the client API, a GDPR
    export), and no browser, proxy or shared computer may keep a copy of it. Rather than
    trusting each view to say so, every response to a request with a signed-in user (session
    or API token: DRF sets `request.user` when it authenticates) or an Authorization header is
    marked no-store. Static files are served before authentication (WhiteNoise) and keep
    their long cache. The Permissions-Policy (settings.PERMISSIONS_POLICY) turns off the
    browser features the app never uses (camera, microphone, location, ...), so injected
    content could not use them either.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or "HTTP_AUTHORIZATION" in request.META:
            if "no-store" not in response.get("Cache-Control", ""):
                response["Cache-Control"] = "private, no-store"
        return response


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
        if state == OTP_VERIFY and not is_verified(request.user):
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
