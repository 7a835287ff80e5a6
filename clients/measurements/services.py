"""Recording measurements and a client's normal ranges. Each write logs its own access row.

Callers pass a client they resolved through `clients.selectors.client_get_editable` (nurses of
the client's team); the rules and their messages live here, the constraints in the database
back them.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtzorg.audit.models import Action
from buurtzorg.audit.services import access_log_write
from clients.measurements.models import FUTURE_MARGIN, KINDS, Kind, Measurement, NormalRange
from clients.models import Client
from teams.models import User

UNKNOWN_KIND = _("Choose what was measured.")
OUT_OF_PLAUSIBLE = _(
    "%(value)s %(unit)s is not a possible %(kind)s: enter a value from %(low)s to %(high)s."
)
SECOND_REQUIRED = _("Enter the diastolic value as well.")
SECOND_NOT_ALLOWED = _("Only blood pressure has a second value.")
SECOND_BELOW_FIRST = _("The diastolic value must be lower than the systolic value.")
IN_FUTURE = _("This time is in the future: enter when it was measured.")
LOW_NOT_BELOW_HIGH = _("The lowest normal value must be below the highest.")
CLIENT_DISCHARGED = _("This client is discharged: the record is closed.")


def _plausible(kind: str, field: str, value: Decimal, low: Decimal, high: Decimal) -> dict:
    spec = KINDS[kind]
    if low <= value <= high:
        return {}
    label = Kind(kind).label
    return {
        field: ValidationError(
            OUT_OF_PLAUSIBLE,
            code="implausible",
            params={"value": value, "unit": spec.unit, "kind": label, "low": low, "high": high},
        )
    }


def measurement_check(
    *, kind: str, value: Decimal, value2: Decimal | None, measured_at: dt.datetime | None = None
) -> None:
    """Raise a ValidationError per field for an impossible value or a time in the future."""
    if kind not in KINDS:
        raise ValidationError({"kind": ValidationError(UNKNOWN_KIND, code="unknown_kind")})
    spec = KINDS[kind]
    errors: dict = _plausible(kind, "value", value, spec.low, spec.high)
    if spec.has_second:
        assert spec.low2 is not None
        assert spec.high2 is not None
        if value2 is None:
            errors["value2"] = ValidationError(SECOND_REQUIRED, code="second_required")
        else:
            errors |= _plausible(kind, "value2", value2, spec.low2, spec.high2)
            if "value" not in errors and "value2" not in errors and value2 >= value:
                errors["value2"] = ValidationError(SECOND_BELOW_FIRST, code="second_not_below")
    elif value2 is not None:
        errors["value2"] = ValidationError(SECOND_NOT_ALLOWED, code="second_not_allowed")
    if measured_at is not None and measured_at > timezone.now() + FUTURE_MARGIN:
        errors["measured_at"] = ValidationError(IN_FUTURE, code="in_future")
    if errors:
        raise ValidationError(errors)


def _log(actor: User, action: str, client: Client, detail: str) -> None:
    access_log_write(
        actor=actor,
        action=action,
        client_public_id=client.public_id,
        part="measurements",
        detail=detail,
    )


@transaction.atomic
def measurement_record(
    *,
    client: Client,
    actor: User,
    kind: str,
    value: Decimal,
    value2: Decimal | None = None,
    measured_at: dt.datetime | None = None,
) -> Measurement:
    """Store one measurement, flagged when outside the client's normal range for its kind.
    An impossible value or a future time is refused (field messages) and nothing is stored."""
    if not client.is_active:
        raise ValidationError(CLIENT_DISCHARGED, code="discharged")
    measured_at = measured_at or timezone.now()
    measurement_check(kind=kind, value=value, value2=value2, measured_at=measured_at)
    normal = NormalRange.objects.filter(client=client, kind=kind).first()
    measurement = Measurement(
        client=client,
        kind=kind,
        value=value,
        value2=value2,
        measured_at=measured_at,
        measured_by=actor,
        out_of_range=normal is not None and normal.flags(value, value2),
    )
    measurement.full_clean(exclude={"created_at"})  # the not-in-future check: above
    measurement.save()
    _log(actor, Action.CREATE, client, f"{kind} {measurement.public_id}")
    return measurement


@transaction.atomic
def normal_range_set(
    *,
    client: Client,
    actor: User,
    kind: str,
    low: Decimal,
    high: Decimal,
    low2: Decimal | None = None,
    high2: Decimal | None = None,
) -> NormalRange:
    """Set (or replace) the client's normal range for `kind`. Its bounds must be plausible
    values of the kind; later measurements are flagged against it (earlier ones keep their
    flag: it says what the range was when they were taken)."""
    if kind not in KINDS:
        raise ValidationError({"kind": ValidationError(UNKNOWN_KIND, code="unknown_kind")})
    spec = KINDS[kind]
    errors: dict = _plausible(kind, "low", low, spec.low, spec.high)
    errors |= _plausible(kind, "high", high, spec.low, spec.high)
    if not errors and low >= high:
        errors["high"] = ValidationError(LOW_NOT_BELOW_HIGH, code="low_not_below_high")
    if spec.has_second and (low2 is not None or high2 is not None):
        assert spec.low2 is not None
        assert spec.high2 is not None
        if low2 is None or high2 is None:
            errors["low2" if low2 is None else "high2"] = ValidationError(
                SECOND_REQUIRED, code="second_required"
            )
        else:
            errors |= _plausible(kind, "low2", low2, spec.low2, spec.high2)
            errors |= _plausible(kind, "high2", high2, spec.low2, spec.high2)
            if "low2" not in errors and "high2" not in errors and low2 >= high2:
                errors["high2"] = ValidationError(LOW_NOT_BELOW_HIGH, code="low_not_below_high")
    elif not spec.has_second and (low2 is not None or high2 is not None):
        errors["low2"] = ValidationError(SECOND_NOT_ALLOWED, code="second_not_allowed")
    if errors:
        raise ValidationError(errors)
    # Lock the client: two nurses setting the same range at once get one row, not an error.
    Client.objects.select_for_update().filter(pk=client.pk).first()
    normal, _created = NormalRange.objects.update_or_create(
        client=client,
        kind=kind,
        defaults={"low": low, "high": high, "low2": low2, "high2": high2, "set_by": actor},
    )
    _log(actor, Action.UPDATE, client, f"normal range {kind}")
    return normal
