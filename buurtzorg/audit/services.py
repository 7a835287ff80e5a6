"""Writing the audit trail. One INSERT per call; a failed write raises, so the request fails."""

import uuid
from datetime import datetime
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from buurtzorg.audit.context import current_request
from buurtzorg.audit.models import AccessEvent
from buurtzorg.audit.twofactor import otp_required_for


def access_log_write(
    *,
    actor: Any,
    action: str,
    client_public_id: UUID | None = None,
    part: str = "",
    detail: str = "",
) -> AccessEvent:
    """Write one access row for `actor`: the one writer every read and write service calls.

    The request's id, address and path come from the request being served
    (`buurtzorg.audit.context`, bound by `RequestIdMiddleware`), so services need no
    `HttpRequest`. Never swallow its exceptions: an access that cannot be logged must not be
    served, so call it inside the transaction that reads or changes the record.
    """
    authenticated = bool(actor is not None and getattr(actor, "is_authenticated", False))
    meta = current_request()
    return AccessEvent.objects.create(
        user_id=actor.pk if authenticated else None,
        username=actor.get_username() if authenticated else "",
        role=getattr(actor, "role", "") if authenticated else "",
        action=action,
        client_public_id=client_public_id,
        part=part[:60],
        detail=detail[:300],
        request_id=meta.request_id if meta else uuid.uuid4(),
        ip_address=meta.ip_address if meta else None,
        path=meta.path if meta else "",
    )


# NEN 7513: access logs are kept at least five years. Nothing younger is ever removed; the
# database function that drops partitions (migration 0006) refuses a shorter retention too.
RETENTION_YEARS = 5
RETENTION_TOO_SHORT = "The access log is kept at least {minimum} years; {years} is too short."


def retention_years() -> int:
    """The configured retention (AUDIT_LOG_RETENTION_YEARS), never below RETENTION_YEARS."""
    years = int(settings.AUDIT_LOG_RETENTION_YEARS)
    if years < RETENTION_YEARS:
        raise ImproperlyConfigured(RETENTION_TOO_SHORT.format(minimum=RETENTION_YEARS, years=years))
    return years


def retention_cutoff(*, now: datetime | None = None) -> datetime:
    """The moment before which a row is older than the retention period."""
    now = now or timezone.now()
    years = retention_years()
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def audit_partitions_make_ahead(*, months_ahead: int | None = None) -> list[str]:
    """Make this month's access-log partition and the next `months_ahead` ones (default
    AUDIT_LOG_PARTITIONS_AHEAD); returns the names of those made. Idempotent.

    The log is partitioned by month on PostgreSQL (migration 0006). The DDL runs in the
    SECURITY DEFINER function the migration made, as the table's owner, so the worker needs
    no owner connection: the app role may call it, and it can do nothing but add partitions.
    Rows that were written into the DEFAULT partition for a month made now are moved into it
    (by re-inserting them and dropping the old DEFAULT partition; nothing is deleted). On
    SQLite the log is one plain table and this does nothing.
    """
    ahead = settings.AUDIT_LOG_PARTITIONS_AHEAD if months_ahead is None else months_ahead
    if connection.vendor != "postgresql":
        return []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT * FROM audit_accessevent_partitions_ensure(%s)", [ahead])
        return [row[0] for row in cursor.fetchall()]


def audit_purge_expired() -> list[str]:
    """Drop the access log's months older than the retention; returns what was dropped.

    On PostgreSQL, whole month partitions that end before now minus the retention
    (AUDIT_LOG_RETENTION_YEARS, at least 5) are detached and dropped: no row is deleted (the
    append-only trigger refuses every DELETE) and the table is not rewritten. The database
    function that does it checks the retention itself, so a wrong setting cannot drop a
    younger month. Rows that sat in the DEFAULT partition past the retention go by replacing
    that partition (the younger ones are kept). On SQLite (no partitions, no triggers) the
    expired rows are deleted.
    """
    years = retention_years()
    if connection.vendor != "postgresql":
        expired = AccessEvent.objects.filter(occurred_at__lt=retention_cutoff())
        deleted, _ = expired.delete()
        return [f"{deleted} rows"] if deleted else []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT * FROM audit_accessevent_partitions_drop_expired(%s)", [years])
        return [row[0] for row in cursor.fetchall()]


def audit_partitions_maintain() -> tuple[list[str], list[str]]:
    """Beat's nightly job: partitions ahead, then retention. Returns (made, dropped)."""
    return audit_partitions_make_ahead(), audit_purge_expired()


OTP_TOKEN_WRONG = _(
    "That code is not right (or has expired). Enter the 6 digits your app shows now."
)
OTP_NO_DEVICE = _("Start the set-up first.")
OTP_REMOVAL_REFUSED = _("Your role requires two-factor login; it cannot be turned off.")
OTP_TOKEN_MISSING = _(
    "This account uses two-factor login: send otp_token too, the 6-digit code your app shows now."
)
OTP_SETUP_FIRST = _(
    "Your role requires two-factor login: set it up in the web app before asking for an API token."
)


@transaction.atomic
def otp_device_start(*, user: Any) -> TOTPDevice:
    """A new, unconfirmed TOTP device (any earlier unconfirmed one is dropped)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def otp_device_confirm(*, user: Any, token: str) -> TOTPDevice:
    """Confirm the pending device with a code from the app; only then does it count.

    A wrong code is written on the device (django-otp's throttle: 1 s, 2 s, 4 s, ... before
    the next code is taken) in a transaction that commits before the refusal is raised, so
    the refusal cannot roll the count back. Call it outside a transaction (views do).
    """
    with transaction.atomic():
        # Locked so two guesses at once are both counted.
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
        if device is None:
            raise ValidationError(OTP_NO_DEVICE, code="otp_no_device")
        verified = device.verify_token(token)
        if verified:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            # A token she already holds was issued on her password alone: from now on a token
            # must have been asked for with a code (api_token_issue), so the old one stops
            # working.
            api_tokens_revoke(user=user)
    if not verified:
        raise ValidationError({"token": OTP_TOKEN_WRONG}, code="otp_wrong")
    return device


def otp_code_check(*, user: Any, token: str) -> TOTPDevice | None:
    """The confirmed device of `user` that takes `token` now, or None.

    Every wrong code is written on the device (django-otp's throttle: 1 s, 2 s, 4 s, ...
    before the next code is taken, and a code is refused while the delay runs), in django-otp's
    own committed transaction that locks the devices. It must not run inside a transaction
    that the caller's refusal rolls back, or the count is undone and the six digits can be
    guessed without limit: callers raise only after this returns.
    """
    return match_token(user, token)


def otp_device_remove(*, user: Any, token: str) -> None:
    """Turn two-factor login off, proven by a current code; refused where the role needs it."""
    if getattr(user, "role", None) in settings.OTP_REQUIRED_ROLES:
        raise ValidationError(OTP_REMOVAL_REFUSED, code="otp_required")
    if otp_code_check(user=user, token=token) is None:
        raise ValidationError({"token": OTP_TOKEN_WRONG}, code="otp_wrong")
    TOTPDevice.objects.filter(user=user).delete()


def api_token_issue(*, user: Any, otp_token: str = "") -> Token:
    """The API token of `user`, who has just proven her password.

    An account with two-factor login must also prove the second factor: a current code from
    her app, throttled like the web login (`otp_code_check`; not inside a transaction, so a
    wrong code stays counted). A role that requires two-factor login but has no device yet
    gets no token (set it up on the web first), so a token is never the way around the second
    factor. Tokens held from before the device was confirmed are deleted at confirmation
    (`otp_device_confirm`), so a kept token is always one that was asked for with a code.
    """
    if user_has_device(user, confirmed=True):
        if not otp_token:
            raise ValidationError({"otp_token": OTP_TOKEN_MISSING}, code="otp_missing")
        if otp_code_check(user=user, token=otp_token) is None:
            raise ValidationError({"otp_token": OTP_TOKEN_WRONG}, code="otp_wrong")
    elif otp_required_for(user):
        raise ValidationError(OTP_SETUP_FIRST, code="otp_setup")
    with transaction.atomic():
        token, created = Token.objects.select_for_update().get_or_create(user=user)
        if not created and api_token_expired(token):
            token.delete()
            token = Token.objects.create(user=user)
    return token


def api_token_expired(token: Token, *, now: datetime | None = None) -> bool:
    """A token lives settings.API_TOKEN_TTL (12 hours by default) from when it was issued."""
    return token.created + settings.API_TOKEN_TTL <= (now or timezone.now())


def api_token_discard_expired(*, token: Token) -> None:
    """Delete `token` if it has expired (the authentication refuses it either way)."""
    Token.objects.filter(pk=token.pk, created__lte=timezone.now() - settings.API_TOKEN_TTL).delete()


def api_tokens_revoke(*, user: Any) -> int:
    """Delete every API token of `user`; returns how many. Logging out and changing the
    password call it, so a token never outlives the session or the password it came from."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted
