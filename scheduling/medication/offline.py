"""A dose signed off at a visit without a network, sent later from the phone's queue (issue 18).

Named in `settings.OFFLINE_ACTION_HANDLERS` as the "dose" kind; scheduling's
`offline_action_apply` holds the key, the visit's lock and its checks, and calls this inside
its transaction. The payload has the shape of the visit page's sign form (`SignForm`):
medication, due_at (none for as-needed medication: then it was given when she tapped),
outcome and reason. A high-risk dose given needs the second nurse's password on the spot, so
it is never queued: sent anyway, the service refuses it with its usual message.
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError

from scheduling.medication.forms import SignForm
from scheduling.medication.models import Medication
from scheduling.medication.services import WRONG_CLIENT, dose_sign
from scheduling.models import Visit
from teams.models import User


def offline_dose_sign(
    *, visit: Visit, actor: User, acted_at: dt.datetime, payload: Mapping[str, Any]
) -> None:
    """Sign one dose due at the visit (as-needed medication: given at `acted_at`)."""
    data = {k: v for k, v in payload.items() if k not in ("second_username", "second_password")}
    form = SignForm(data)
    if not form.is_valid():
        raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
    medication = Medication.objects.filter(
        client_id=visit.client_id, public_id=form.cleaned_data["medication"]
    ).first()
    if medication is None:
        raise ValidationError({"medication": [WRONG_CLIENT]}, code="wrong_client")
    due_at = form.due_at_utc()
    if due_at is None and medication.as_needed:
        due_at = acted_at
    dose_sign(
        visit=visit,
        medication=medication,
        due_at=due_at,
        outcome=form.cleaned_data["outcome"],
        reason=form.cleaned_data["reason"],
        actor=actor,
    )
