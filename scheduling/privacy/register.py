"""The privacy request register: record a client's request, see what the law makes us keep,
and handle it (an erasure carried out through `services.client_erase`).

Legal retention checked for an erasure (shown to the person handling it):
- the medical record (WGBO, art. 7:454 BW) is kept 20 years after the end of care
  (PRIVACY_RETENTION_YEARS), but art. 7:455 BW gives the client the right to have it destroyed
  on request. So an erasure request is carried out once care has ended, unless the person
  handling it records why keeping the record is of considerable importance to someone other
  than the client (the law's one exception besides a statute), which refuses it with that
  reason. While the client is still in care the record is what the care is given from
  (7:454): the request is refused until discharge;
- billing (fiscal retention, art. 52 AWR): invoice lines 7 years after their period; an
  erasure keeps those lines' amounts and personal fields and anonymises the older ones.
Back office and administrators record and handle requests; every write is logged as an access
to the client's record (the erasure itself as a delete by the person who handled it).
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buurtzorg.audit.models import Action
from buurtzorg.audit.services import access_log_write
from buurtzorg.roles import Role
from clients.models import Client, ClientStatus
from scheduling.privacy.models import (
    PrivacyRequest,
    RequestKind,
    RequestOutcome,
    one_month_after,
)
from scheduling.privacy.services import BILLING_RETENTION_YEARS, client_erase

REGISTER_ROLES = (Role.BACK_OFFICE, Role.ADMIN)
NOT_FOUND = "No such client or request for you"  # a 404: "not yours" is "does not exist"
ALREADY_HANDLED = gettext_lazy("This request has already been handled.")
NOT_BEFORE_REQUEST = gettext_lazy("The request cannot be handled before it was made.")
IN_THE_FUTURE = gettext_lazy("A request cannot be dated in the future.")
ERASURE_OUTCOME = gettext_lazy("An erasure's outcome follows from the legal retention check.")
ONLY_FOR_ERASURE = gettext_lazy("Only an erasure request can be refused for this reason.")


@dataclass(frozen=True)
class RetentionHold:
    what: str
    why: str
    until: dt.date | None  # None: care has not ended, the term has not started
    medical: bool = False
    blocks: bool = False  # True: an erasure request cannot be carried out now


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def retention_holds(*, client: Client, today: dt.date) -> list[RetentionHold]:
    """What must be kept of `client` on `today`, and why (shown to who handles an erasure)."""
    holds: list[RetentionHold] = []
    years = settings.PRIVACY_RETENTION_YEARS
    ended = client.discharged_on if client.status == ClientStatus.DISCHARGED else None
    medical_until = _years_after(ended, years) if ended else None
    # The nightly job erases once discharged_on < today - years: keep until that day included.
    if medical_until is None:
        holds.append(
            RetentionHold(
                what=_("The client is still in care"),
                why=_(
                    "WGBO (art. 7:454 BW): the record is what the care is given from. An "
                    "erasure can be carried out once care has ended (discharge)."
                ),
                until=None,
                medical=True,
                blocks=True,
            )
        )
    elif medical_until >= today:
        holds.append(
            RetentionHold(
                what=_(
                    "Medical record: problems, interventions, ratings, visits, reports, medication"
                ),
                why=_(
                    "WGBO (art. 7:454 BW): kept %(years)s years after the end of care, unless the "
                    "client asks for its destruction (art. 7:455 BW): an erasure request is "
                    "carried out, except when keeping the record is of considerable importance "
                    "to someone other than the client (record why when handling it)."
                )
                % {"years": years},
                until=medical_until,
                medical=True,
            )
        )
    last_period = (
        client.invoice_lines.aggregate(last=Max("period"))["last"]
        if hasattr(client, "invoice_lines")
        else None
    )
    if last_period is not None:
        billing_until = _years_after(last_period, BILLING_RETENTION_YEARS)
        if billing_until > today:
            holds.append(
                RetentionHold(
                    what=_("Invoice lines (amounts, services, periods, insurer)"),
                    why=_("Fiscal retention (art. 52 AWR): kept %(years)s years.")
                    % {"years": BILLING_RETENTION_YEARS},
                    until=billing_until,
                )
            )
    return holds


def _check_role(actor: Any) -> None:  # noqa: ANN401 - a teams.User
    if getattr(actor, "role", None) not in REGISTER_ROLES:
        raise Http404(NOT_FOUND)


def privacy_requests(*, actor: Any) -> QuerySet[PrivacyRequest]:  # noqa: ANN401
    """The register, open requests first by deadline (back office and administrators)."""
    _check_role(actor)
    return PrivacyRequest.objects.select_related("client", "handled_by", "recorded_by").order_by(
        "handled_on", "due_on", "pk"
    )


@transaction.atomic
def privacy_request_record(
    *,
    actor: Any,  # noqa: ANN401
    client_public_id: UUID | str,
    kind: str,
    requested_on: dt.date,
    note: str = "",
) -> PrivacyRequest:
    _check_role(actor)
    client = Client.objects.filter(public_id=client_public_id).first()
    if client is None:
        raise Http404(NOT_FOUND)
    if requested_on > timezone.localdate():
        raise ValidationError({"requested_on": IN_THE_FUTURE}, code="future")
    request = PrivacyRequest.objects.create(
        client=client,
        kind=RequestKind(kind),
        requested_on=requested_on,
        due_on=one_month_after(requested_on),
        recorded_by=actor,
        note=note,
    )
    access_log_write(
        actor=actor,
        action=Action.CREATE,
        client_public_id=client.public_id,
        part="privacy-request",
        detail=kind,
    )
    return request


@transaction.atomic
def privacy_request_handle(
    *,
    actor: Any,  # noqa: ANN401
    public_id: UUID | str,
    outcome: str = RequestOutcome.DONE,
    note: str = "",
    important_to_other: str = "",
    today: dt.date | None = None,
) -> PrivacyRequest:
    """Answer a request. An erasure is checked against the legal retention first: refused
    while the client is in care, or when `important_to_other` says why keeping the record is
    of considerable importance to someone else (art. 7:455 BW); otherwise the record is
    anonymised now (invoice lines under fiscal retention kept), with the handler in the access
    log, and what was kept is written into the register's note."""
    _check_role(actor)
    today = today or timezone.localdate()
    request = (
        PrivacyRequest.objects.select_for_update()
        .select_related("client")
        .filter(public_id=public_id)
        .first()
    )
    if request is None:
        raise Http404(NOT_FOUND)
    if not request.is_open:
        raise ValidationError(ALREADY_HANDLED, code="handled")
    if today < request.requested_on:
        raise ValidationError({"handled_on": NOT_BEFORE_REQUEST}, code="early")
    important_to_other = important_to_other.strip()
    client = request.client
    if request.kind == RequestKind.ERASURE:
        holds = retention_holds(client=client, today=today)
        blocking = [h for h in holds if h.blocks]
        if blocking or important_to_other:
            outcome = RequestOutcome.REFUSED_RETENTION
            reasons = [f"{h.what}: {h.why}" for h in blocking]
            if important_to_other:
                reasons.append(
                    _("Kept for someone other than the client (art. 7:455 BW): %(reason)s")
                    % {"reason": important_to_other}
                )
            note = "\n".join([note, *reasons]).strip()
        else:
            client_erase(
                client_id=client.pk,
                today=today,
                actor=actor,
                detail="erasure request",
                on_request=True,
            )
            kept = [f"{h.what}: {h.why}" for h in holds if not h.medical]
            note = "\n".join([note, *kept]).strip()
            outcome = RequestOutcome.DONE
    elif important_to_other:
        raise ValidationError({"important_to_other": ONLY_FOR_ERASURE}, code="not-erasure")
    elif outcome == RequestOutcome.REFUSED_RETENTION:
        raise ValidationError({"outcome": ERASURE_OUTCOME}, code="outcome")
    request.handled_on = today
    request.handled_by = actor
    request.outcome = RequestOutcome(outcome)
    request.note = note
    request.save(update_fields=["handled_on", "handled_by", "outcome", "note", "updated_at"])
    access_log_write(
        actor=actor,
        action=Action.UPDATE,
        client_public_id=client.public_id,
        part="privacy-request",
        detail=f"{request.kind}: {outcome}",
    )
    return request


@dataclass(frozen=True)
class RequestView:
    request: PrivacyRequest
    holds: list[RetentionHold]
    overdue: bool

    @property
    def blocked(self) -> bool:
        """An erasure request cannot be carried out now (the client is still in care)."""
        return any(h.blocks for h in self.holds)


@transaction.atomic
def privacy_register_read(*, actor: Any, today: dt.date | None = None) -> list[RequestView]:  # noqa: ANN401
    """The register page's rows (open first, by deadline), logged as one list access."""
    today = today or timezone.localdate()
    rows = [
        RequestView(request=r, holds=[], overdue=r.is_overdue(today))
        for r in privacy_requests(actor=actor)
    ]
    access_log_write(actor=actor, action=Action.LIST, part="privacy-register")
    return rows


@transaction.atomic
def privacy_request_read(
    *,
    actor: Any,  # noqa: ANN401
    public_id: UUID | str,
    today: dt.date | None = None,
) -> RequestView:
    """One request with what the law makes us keep of its client, logged as a view."""
    today = today or timezone.localdate()
    request = privacy_requests(actor=actor).filter(public_id=public_id).first()
    if request is None:
        raise Http404(NOT_FOUND)
    access_log_write(
        actor=actor,
        action=Action.VIEW,
        client_public_id=request.client.public_id,
        part="privacy-request",
    )
    return RequestView(
        request=request,
        holds=retention_holds(client=request.client, today=today),
        overdue=request.is_overdue(today),
    )
