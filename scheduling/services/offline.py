"""Actions a nurse did without a network, sent later from the phone's queue (issue 18).

The phone keeps each action (a visit done as planned, a log with another duration, a report, a
rating, a dose sign-off) in IndexedDB with a key it made itself and the time she did it, and
sends it to one endpoint when the network is back, perhaps more than once (a lost answer, a
second tab). `offline_action_apply` applies each key exactly once: the key's row
(`VisitLogKey`, unique key) is inserted first in the action's transaction, so a repeat, or a
twin sent at the same moment (it waits for the first), finds it and changes nothing. A refused
action rolls the key back with everything else, so the phone may send it again corrected.

Each kind is applied by a handler named in `settings.OFFLINE_ACTION_HANDLERS` (reports and
medication sit above scheduling, so scheduling names them only as strings, as with
`HANDOVER_SOURCES`): `f(*, visit, actor, acted_at, payload) -> None`, which calls the app's
usual write service (that writes the request's one access row) and raises `ValidationError`
with the service's messages. Payloads have the shape of the page's form, so the phone sends
what the nurse filled in.

What changed on the server meanwhile comes back as a conflict with a message saying what to do
(`OfflineConflict`): the visit was given to another nurse or cancelled, or its period billed.
"""

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from buurtzorg.audit.models import Action
from buurtzorg.audit.services import access_log_write
from clients.services import outcome_rating_add
from scheduling.forms import VisitLogForm
from scheduling.models import Visit, VisitLogKey, VisitStatus
from scheduling.selectors import visit_log_options
from scheduling.services.visits import (
    ACTED_IN_FUTURE,
    KEY_USED_ELSEWHERE,
    OFFLINE_CLOCK_SLACK,
    visit_log,
)
from teams.models import User

KIND_UNKNOWN = _("This kind of action cannot be sent: %(kind)s.")
OFFLINE_REASSIGNED = _(
    "This visit was given to another nurse while you were offline, so nothing was saved. "
    "Tell your planner what you did, so it can be recorded."
)
OFFLINE_CANCELLED = _(
    "This visit was cancelled while you were offline, so nothing was saved. If you did "
    "visit, tell your planner so she can record it."
)
PROBLEM_NOT_ON_RECORD = _("This problem is not on this client's record.")
RATING_NEEDS_ALL = _("Give knowledge, behaviour and status (1-5) of the problem.")
# The codes of a refusal that is about what changed on the server, not about what she typed.
CONFLICT_CODES = frozenset({"reassigned", "cancelled", "billed"})

Handler = Callable[..., None]


class OfflineConflict(ValidationError):
    """The visit changed on the server meanwhile; the message says what to do."""


@dataclass(frozen=True)
class OfflineOutcome:
    key: UUID
    kind: str
    visit: Visit
    repeated: bool  # the key had been applied before: nothing changed now


@cache
def _handlers() -> dict[str, Handler]:
    return {kind: import_string(path) for kind, path in settings.OFFLINE_ACTION_HANDLERS.items()}


def offline_action_kinds() -> list[str]:
    return list(settings.OFFLINE_ACTION_HANDLERS)


@transaction.atomic
def offline_action_apply(
    *,
    visit: Visit,
    actor: User,
    key: UUID,
    kind: str,
    acted_at: dt.datetime,
    payload: Mapping[str, Any],
) -> OfflineOutcome:
    """Apply one queued action to `visit` (read through the caller's gate), once per `key`.

    All or nothing, in one transaction: the key's row, the write and its access row. A
    repeat of an applied key changes nothing and logs her read of the visit.
    """
    handler = _handlers().get(kind)
    if handler is None:
        raise ValidationError({"kind": [KIND_UNKNOWN % {"kind": kind}]}, code="kind")
    if acted_at > timezone.now() + OFFLINE_CLOCK_SLACK:
        raise ValidationError({"at": [ACTED_IN_FUTURE]}, code="future")
    try:
        with transaction.atomic():
            VisitLogKey.objects.create(
                key=key, kind=kind, visit=visit, actor=actor, acted_at=acted_at
            )
    except IntegrityError:
        return _repeated(visit=visit, actor=actor, key=key, kind=kind)
    # Lock the visit: a planner's reassignment or cancellation waits for this action, or this
    # action sees it. (Only the visit row; the client row is read for the access row.)
    visit = Visit.objects.select_for_update(of=("self",)).select_related("client").get(pk=visit.pk)
    if visit.status == VisitStatus.CANCELLED:
        raise OfflineConflict(OFFLINE_CANCELLED, code="cancelled")
    if visit.nurse_id != actor.pk:
        raise OfflineConflict(OFFLINE_REASSIGNED, code="reassigned")
    try:
        handler(visit=visit, actor=actor, acted_at=acted_at, payload=payload)
    except ValidationError as exc:
        if getattr(exc, "code", None) in CONFLICT_CODES:
            raise OfflineConflict(exc.messages[0], code=exc.code) from exc
        raise
    return OfflineOutcome(key=key, kind=kind, visit=visit, repeated=False)


def _repeated(*, visit: Visit, actor: User, key: UUID, kind: str) -> OfflineOutcome:
    applied = VisitLogKey.objects.get(key=key)
    if applied.visit_id != visit.pk or applied.actor_id != actor.pk or applied.kind != kind:
        raise ValidationError({"key": [KEY_USED_ELSEWHERE]}, code="key_used")
    access_log_write(
        actor=actor,
        action=Action.VIEW,
        client_public_id=visit.client.public_id,
        part="visit",
        detail=f"visit {visit.public_id}, repeated offline {kind}",
    )
    return OfflineOutcome(key=key, kind=kind, visit=visit, repeated=True)


def _form_errors(form: Any) -> ValidationError:  # noqa: ANN401 (any Django form)
    return ValidationError({field: list(errors) for field, errors in form.errors.items()})


# --- the handlers of scheduling's own kinds (settings.OFFLINE_ACTION_HANDLERS) ------------------


def offline_visit_done(
    *, visit: Visit, actor: User, acted_at: dt.datetime, payload: Mapping[str, Any]
) -> None:
    """ "Done as planned" on My day: no payload."""
    visit_log(visit=visit, actor=actor, now=acted_at)


def offline_visit_log(
    *, visit: Visit, actor: User, acted_at: dt.datetime, payload: Mapping[str, Any]
) -> None:
    """The visit-log page's form: another duration and why, interventions, a note, the
    service and ratings, in the form's own field names."""
    form = VisitLogForm(dict(payload), visit=visit, options=visit_log_options(visit=visit))
    if not form.is_valid():
        raise _form_errors(form)
    data = form.cleaned_data
    visit_log(
        visit=visit,
        actor=actor,
        minutes=data["minutes"],
        deviation_reason=data["deviation_reason"],
        done_interventions=data["done_interventions"],
        note=data["note"],
        service=data["service"],
        ratings=form.ratings(),
        now=acted_at,
    )


def offline_rating_add(
    *, visit: Visit, actor: User, acted_at: dt.datetime, payload: Mapping[str, Any]
) -> None:
    """A KBS rating of one of the client's problems worked on at the visit:
    `{client_problem: <id>, knowledge, behavior, status}`."""
    problem_id = _uuid(payload.get("client_problem"))
    problem = (
        visit.client.problems.filter(public_id=problem_id).select_related("problem").first()
        if problem_id is not None
        else None
    )
    if problem is None:
        raise ValidationError({"client_problem": [PROBLEM_NOT_ON_RECORD]})
    try:
        knowledge, behavior, status = (int(payload[p]) for p in ("knowledge", "behavior", "status"))
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationError({"knowledge": [RATING_NEEDS_ALL]}) from exc
    outcome_rating_add(
        client_problem=problem,
        actor=actor,
        rated_on=timezone.localtime(acted_at).date(),
        moment="interim",
        knowledge=knowledge,
        behavior=behavior,
        status=status,
        note=str(payload.get("note") or "")[:500],
    )


def _uuid(value: object) -> UUID | None:
    try:
        return UUID(str(value))
    except ValueError:
        return None
