"""Every write of medication and its administration record. Each logs its own change.

Sign-offs lock the medication row (`select_for_update`) before they look for a current
sign-off of the dose, so two nurses signing the same dose at once are served one after the
other: the second gets DOSE_ALREADY_SIGNED. The partial unique constraints are the backstop
(a lost race or a path around the service gets the same message, never a 500).
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtzorg.audit.models import Action
from buurtzorg.audit.services import access_log_write
from clients.models import Client
from scheduling.medication.models import DoseSignoff, Medication, Outcome
from scheduling.medication.schedule import DueDose
from scheduling.medication.selectors import visit_due_doses
from scheduling.models import Visit, VisitStatus
from scheduling.selectors import day_bounds
from teams.models import Membership, User

CLIENT_NOT_ACTIVE = _("This client is discharged: the medication list is closed.")
MEDICATION_STOPPED = _("This medication has been stopped.")
DOSE_NOT_DUE = _("This dose is not due at this visit.")
DOSE_ALREADY_SIGNED = _("This dose has already been signed off.")
SIGNOFF_NOT_CURRENT = _("This sign-off has already been corrected; correct the latest one.")
REASON_REQUIRED = _("Say why the dose was not given.")
SECOND_SIGNER_REQUIRED = _("A high-risk dose needs a second nurse's sign-off.")
SECOND_SIGNER_INVALID = _("The second nurse must be another nurse of your team.")
MAX_PER_DAY_REACHED = _("The maximum of %(max)s a day has been given already.")
WRONG_CLIENT = _("This medication is not this client's.")
VISIT_CANCELLED = _("This visit is cancelled: no doses are signed at it.")

MEDICATION_FIELDS = (
    "name",
    "code",
    "strength",
    "form",
    "dose_amount",
    "dose_unit",
    "route",
    "as_needed",
    "times_of_day",
    "weekdays",
    "max_per_day",
    "starts_on",
    "ends_on",
    "prescriber",
    "instructions",
    "high_risk",
)


def _log(actor: User | None, action: str, client: Client, part: str, detail: str) -> None:
    access_log_write(
        actor=actor, action=action, client_public_id=client.public_id, part=part, detail=detail
    )


def _normalise(fields: dict[str, Any]) -> dict[str, Any]:
    """Times sorted and de-duplicated as "HH:MM"; an as-needed medication has no times."""
    times = fields.get("times_of_day") or []
    fields["times_of_day"] = sorted(
        {t.strftime("%H:%M") if isinstance(t, dt.time) else str(t) for t in times}
    )
    return fields


@transaction.atomic
def medication_create(*, client: Client, actor: User, **fields: Any) -> Medication:
    """Put a medicine on the client's list (the caller fetched `client` through the gate)."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    if not client.is_active:
        raise ValidationError(CLIENT_NOT_ACTIVE, code="client_not_active")
    medication = Medication(client=client, created_by=actor, **_normalise(fields))
    medication.full_clean()
    medication.save()
    _log(actor, Action.CREATE, client, "medication", f"{medication.public_id} {medication.name}")
    return medication


@transaction.atomic
def medication_update(*, medication: Medication, actor: User, **fields: Any) -> Medication:
    """Change a medicine's details or schedule. Sign-offs keep the time they were due."""
    medication = Medication.objects.select_for_update().get(pk=medication.pk)
    if medication.is_stopped:
        raise ValidationError(MEDICATION_STOPPED, code="stopped")
    for name, value in _normalise(fields).items():
        if name in MEDICATION_FIELDS:
            setattr(medication, name, value)
    medication.full_clean()
    medication.save()
    _log(actor, Action.UPDATE, medication.client, "medication", f"{medication.public_id} edited")
    return medication


@transaction.atomic
def medication_stop(
    *, medication: Medication, actor: User, reason: str, at: dt.datetime | None = None
) -> Medication:
    """Stop a medicine now (no doses are due from then on). Stopping twice changes nothing."""
    medication = Medication.objects.select_for_update().get(pk=medication.pk)
    if not medication.is_stopped:
        medication.stopped_at = at or timezone.now()
        medication.stopped_by = actor
        medication.stop_reason = reason
        medication.full_clean()
        medication.save(update_fields=["stopped_at", "stopped_by", "stop_reason", "updated_at"])
    _log(actor, Action.UPDATE, medication.client, "medication", f"{medication.public_id} stopped")
    return medication


def _check_second_signer(
    *, actor: User, medication: Medication, outcome: str, second_signer: User | None
) -> User | None:
    if not (medication.high_risk and outcome == Outcome.GIVEN):
        return None
    if second_signer is None:
        raise ValidationError({"second_username": SECOND_SIGNER_REQUIRED}, code="second_signer")
    own_teams = Membership.objects.active().filter(nurse=actor).values("team_id")
    same_team = (
        Membership.objects.active().filter(nurse=second_signer, team_id__in=own_teams).exists()
    )
    if second_signer.pk == actor.pk or not second_signer.is_active or not same_team:
        raise ValidationError({"second_username": SECOND_SIGNER_INVALID}, code="second_signer")
    return second_signer


def _insert(signoff: DoseSignoff) -> DoseSignoff:
    """full_clean (the constraints give their messages), then insert in a savepoint: a row
    another transaction committed in between is caught as the same message."""
    try:
        signoff.full_clean()
    except ValidationError as exc:
        if "__all__" in getattr(exc, "error_dict", {}) and any(
            e.code == "unique" or "signed off" in str(e.message) for e in exc.error_dict["__all__"]
        ):
            raise ValidationError({"due_at": DOSE_ALREADY_SIGNED}, code="already_signed") from exc
        raise
    try:
        with transaction.atomic():
            signoff.save()
    except IntegrityError as exc:
        raise ValidationError({"due_at": DOSE_ALREADY_SIGNED}, code="already_signed") from exc
    return signoff


def _sign(
    *,
    visit: Visit,
    medication: Medication,
    due_at: dt.datetime,
    outcome: str,
    reason: str,
    actor: User,
    second_signer: User | None,
) -> DoseSignoff:
    """One sign-off, under the medication's row lock (taken by the caller)."""
    if visit.status == VisitStatus.CANCELLED:
        raise ValidationError({"due_at": VISIT_CANCELLED}, code="cancelled")
    if medication.client_id != visit.client_id:
        raise ValidationError({"medication": WRONG_CLIENT}, code="wrong_client")
    if outcome == Outcome.NOT_GIVEN and not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED}, code="reason")
    if medication.as_needed:
        due_at = (due_at or timezone.now()).replace(second=0, microsecond=0)
        start, end = day_bounds(timezone.localtime(due_at).date())
        taken = DoseSignoff.objects.filter(
            medication=medication,
            due_at__gte=start,
            due_at__lt=end,
            outcome__in=[Outcome.GIVEN, Outcome.SELF_ADMINISTERED],
        )
        # a corrected row does not count: its correction says what happened
        given = taken.exclude(corrections__isnull=False).count()
        if outcome in (Outcome.GIVEN, Outcome.SELF_ADMINISTERED) and given >= (
            medication.max_per_day or 0
        ):
            raise ValidationError(
                {"due_at": MAX_PER_DAY_REACHED % {"max": medication.max_per_day}}, code="max"
            )
    else:
        due = {
            d.due_at: d for d in visit_due_doses(visit=visit) if d.medication.pk == medication.pk
        }
        if due_at not in due:
            raise ValidationError({"due_at": DOSE_NOT_DUE}, code="not_due")
        if due[due_at].is_signed:
            raise ValidationError({"due_at": DOSE_ALREADY_SIGNED}, code="already_signed")
    second = _check_second_signer(
        actor=actor, medication=medication, outcome=outcome, second_signer=second_signer
    )
    return _insert(
        DoseSignoff(
            medication=medication,
            due_at=due_at,
            outcome=outcome,
            reason=reason.strip(),
            high_risk=medication.high_risk,
            signed_by=actor,
            second_signer=second,
            visit=visit,
        )
    )


@transaction.atomic
def dose_sign(
    *,
    visit: Visit,
    medication: Medication,
    due_at: dt.datetime | None,
    outcome: str,
    actor: User,
    reason: str = "",
    second_signer: User | None = None,
) -> DoseSignoff:
    """Sign one dose due at `visit` (her own visit: the caller fetched it with
    `visit_get_own`). For as-needed medication `due_at` is when it was given (now if None).

    Locks the medication row first, so of two nurses signing the same dose one wins and the
    other gets DOSE_ALREADY_SIGNED at the field.
    """
    medication = (
        Medication.objects.select_for_update().select_related("client").get(pk=medication.pk)
    )
    if due_at is None and not medication.as_needed:
        raise ValidationError({"due_at": DOSE_NOT_DUE}, code="not_due")
    signoff = _sign(
        visit=visit,
        medication=medication,
        due_at=due_at or timezone.now(),
        outcome=outcome,
        reason=reason,
        actor=actor,
        second_signer=second_signer,
    )
    _log(
        actor,
        Action.CREATE,
        medication.client,
        "dose-signoff",
        f"{medication.public_id} {signoff.due_at.isoformat()} {signoff.outcome}"
        f" visit {visit.public_id}",
    )
    return signoff


@transaction.atomic
def doses_sign_all_given(*, visit: Visit, actor: User) -> list[DoseSignoff]:
    """ "All given as scheduled": every unsigned dose due at `visit` that needs no second nurse
    is signed as given, in one transaction (all or none). High-risk doses are left to be
    signed one by one, with the second nurse."""
    meds = list(
        Medication.objects.select_for_update()
        .filter(client_id=visit.client_id, as_needed=False)
        .order_by("pk")
    )
    if not meds:
        return []
    doses: list[DueDose] = [
        d for d in visit_due_doses(visit=visit) if not d.is_signed and not d.medication.high_risk
    ]
    signed = [
        _insert(
            DoseSignoff(
                medication=d.medication,
                due_at=d.due_at,
                outcome=Outcome.GIVEN,
                high_risk=False,
                signed_by=actor,
                visit=visit,
            )
        )
        for d in doses
    ]
    _log(
        actor,
        Action.CREATE,
        visit.client,
        "dose-signoff",
        f"all given as scheduled: {len(signed)} doses, visit {visit.public_id}",
    )
    return signed


@transaction.atomic
def dose_signoff_correct(
    *,
    signoff: DoseSignoff,
    actor: User,
    outcome: str,
    reason: str = "",
    second_signer: User | None = None,
) -> DoseSignoff:
    """Correct a sign-off: a new row for the same dose pointing at it (the old one stays).

    Only the current (latest) sign-off of a dose can be corrected; the unique constraint on
    `corrects` makes a second correction of the same row impossible.
    """
    medication = (
        Medication.objects.select_for_update()
        .select_related("client")
        .get(pk=signoff.medication_id)
    )
    if DoseSignoff.objects.filter(corrects=signoff).exists():
        raise ValidationError({"outcome": SIGNOFF_NOT_CURRENT}, code="not_current")
    if outcome == Outcome.NOT_GIVEN and not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED}, code="reason")
    second = _check_second_signer(
        actor=actor, medication=medication, outcome=outcome, second_signer=second_signer
    )
    correction = _insert(
        DoseSignoff(
            medication=medication,
            due_at=signoff.due_at,
            outcome=outcome,
            reason=reason.strip(),
            high_risk=medication.high_risk,
            signed_by=actor,
            second_signer=second,
            visit=signoff.visit,
            corrects=signoff,
        )
    )
    _log(
        actor,
        Action.CREATE,
        medication.client,
        "dose-signoff",
        f"{medication.public_id} {signoff.due_at.isoformat()} corrected to {outcome}",
    )
    return correction


def client_medication_erase(*, client: Client, erased: str) -> None:
    """GDPR erasure (called by `scheduling.privacy.services.client_erase` inside its
    transaction): the free text of the client's medication and sign-offs goes; names of
    medicines, codes, doses and times stay for aggregate reporting, like Omaha codes.

    Sign-offs are never UPDATEd except here: the PostgreSQL trigger lets a transaction that
    set `medication.erasure` through (SET LOCAL ends with the transaction).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL medication.erasure = 'on'")
    client.medications.update(instructions="", prescriber="", stop_reason="")
    DoseSignoff.objects.filter(medication__client=client).exclude(reason="").update(reason=erased)
