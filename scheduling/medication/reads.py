"""Every read of medication: one service per way a person reads it.

Like `clients.reads`: each checks visibility through `scheduling.medication.selectors` (404,
and no access row, for what the actor may not see), writes exactly one access row and returns
the data, in one transaction. The two unlogged helpers at the bottom feed pages whose own
read service already gated and logged the visit or record they belong to.
"""

from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.shortcuts import get_object_or_404

from buurtzorg.audit.models import Action
from buurtzorg.audit.services import access_log_write
from clients.models import Client
from clients.reads import access_detail
from clients.selectors import client_get_editable, user_edits_clients
from scheduling.medication.models import DoseSignoff, Medication
from scheduling.medication.schedule import DueDose
from scheduling.medication.selectors import (
    client_for_medication,
    client_medications,
    medication_get_editable,
    medication_get_visible,
    medication_list_editable,
    medication_signoffs,
    visit_as_needed,
    visit_due_doses,
)
from scheduling.medication.table import medication_table_rows
from scheduling.models import Visit
from scheduling.selectors import visit_get_own
from teams.models import User


def _log(actor: User, action: str, client: Client, part: str, detail: str = "") -> None:
    access_log_write(
        actor=actor, action=action, client_public_id=client.public_id, part=part, detail=detail
    )


@dataclass(frozen=True)
class MedicationList:
    client: Client
    medications: list[Medication]
    can_edit: bool


@transaction.atomic
def medication_list_read(*, actor: User, client_public_id: UUID | str) -> MedicationList:
    """A client's medication list (page and API): nurses and coaches of her team."""
    client = client_for_medication(user=actor, public_id=client_public_id)
    meds = client_medications(client=client)
    _log(actor, Action.VIEW, client, "medication", access_detail())
    return MedicationList(
        client=client,
        medications=meds,
        can_edit=user_edits_clients(user=actor) and client.is_active,
    )


@dataclass(frozen=True)
class MedicationHistory:
    medication: Medication
    signoffs: list[DoseSignoff]


@transaction.atomic
def medication_history_read(*, actor: User, public_id: UUID | str) -> MedicationHistory:
    """One medicine's administration record: every sign-off and correction."""
    medication = medication_get_visible(user=actor, public_id=public_id)
    signoffs = medication_signoffs(medication=medication)
    _log(
        actor,
        Action.VIEW,
        medication.client,
        "medication-history",
        access_detail(str(medication.public_id)),
    )
    return MedicationHistory(medication=medication, signoffs=signoffs)


@transaction.atomic
def medication_form_open(
    *,
    actor: User,
    client_public_id: UUID | str | None = None,
    public_id: UUID | str | None = None,
    medication: Medication | None = None,
) -> tuple[Client, Medication | None]:
    """The add, edit or stop form of a medicine (nurses of the team; 404 for anyone else).
    Also called to show a refused form again: the refused write logged nothing. `medication`
    is the one the caller already fetched through `medication_get_editable` (the same gate),
    so a refused edit does not read it twice."""
    if medication is not None:
        client = medication.client
    elif public_id is not None:
        medication = medication_get_editable(user=actor, public_id=public_id)
        client = medication.client
    else:
        medication = None
        client = client_get_editable(user=actor, public_id=client_public_id or "")
    _log(actor, Action.VIEW, client, "medication-form", str(public_id or ""))
    return client, medication


@dataclass(frozen=True)
class VisitDoses:
    visit: Visit
    doses: list[DueDose]
    as_needed: list[Medication]

    @property
    def open_count(self) -> int:
        return sum(1 for d in self.doses if not d.is_signed)

    @property
    def one_tap_count(self) -> int:
        return sum(1 for d in self.doses if not d.is_signed and not d.medication.high_risk)


@transaction.atomic
def visit_doses_read(*, actor: User, visit_public_id: UUID) -> VisitDoses:
    """The doses due at her own visit (the page shown again after a refused sign-off, and the
    API's list)."""
    visit = visit_get_own(user=actor, public_id=visit_public_id)
    doses = visit_doses_part(visit=visit)
    _log(actor, Action.VIEW, visit.client, "visit-doses", access_detail(f"visit {visit.public_id}"))
    return doses


@transaction.atomic
def visit_doses_reshown(*, actor: User, visit: Visit) -> VisitDoses:
    """The doses shown again after a refused sign-off (which logged nothing): one read row.
    `visit` is the one the refused write was given, fetched through `visit_get_own`."""
    doses = visit_doses_part(visit=visit)
    _log(actor, Action.VIEW, visit.client, "visit-doses", access_detail(f"visit {visit.public_id}"))
    return doses


def visit_doses_part(*, visit: Visit) -> VisitDoses:
    """The medication section of a visit's page. Not logged: call it only for a visit the
    page's own read service fetched through `visit_get_own` and logged (the visit-log page)."""
    return VisitDoses(
        visit=visit, doses=visit_due_doses(visit=visit), as_needed=visit_as_needed(visit=visit)
    )


def client_record_part(*, client: Client) -> dict:
    """`settings.CLIENT_RECORD_PARTS`: the medication section of the client record page.
    Not logged: `clients.reads.client_record_open` calls it inside its gated, logged read,
    for clinical readers only."""
    return {"medication_list": medication_table_rows(client_medications(client=client))}


@transaction.atomic
def signoff_correct_open(*, actor: User, public_id: UUID | str) -> DoseSignoff:
    """The correction form of a sign-off (nurses of the team; 404 for anyone else)."""
    signoff = get_object_or_404(
        DoseSignoff.objects.select_related("medication__client", "signed_by", "second_signer"),
        public_id=public_id,
        medication__in=medication_list_editable(user=actor),
    )
    _log(actor, Action.VIEW, signoff.medication.client, "signoff-form", str(signoff.public_id))
    return signoff
