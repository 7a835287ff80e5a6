"""GDPR duties: export everything stored about a client, and erase it after retention or on
the client's request once care has ended (see `scheduling.privacy.register`).

Retention: a client's record is kept PRIVACY_RETENTION_YEARS (default 20, the Dutch WGBO
term for medical records) after discharge; then the nightly job anonymises it. Billing keeps
what it must: invoice lines keep amounts, service codes, periods and insurer (their personal
fields are anonymised once the fiscal term, BILLING_RETENTION_YEARS = 7, is over too), and
billed visits stay as they were (the database makes them read-only). Outcome scores and Omaha
codes stay for aggregate reports; free text, names, address, contacts and history snapshots
go. The access log keeps its rows (they hold only the client's public id). The export (a
read) is in `scheduling.privacy.reads`.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from buurtzorg.audit.models import Action
from buurtzorg.audit.services import access_log_write
from clients.intake.models import intake_requests_about
from clients.models import (
    ERASED_NAME,
    Client,
    ClientProblemSign,
    ClientStatus,
    Intervention,
    OutcomeRating,
)
from clients.wounds.services import client_wounds_erase
from scheduling.carenotes.models import CareReport
from scheduling.history.services import history_erase_client
from scheduling.medication.services import client_medication_erase
from teams.names import Sex

BILLING_RETENTION_YEARS = 7


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def clients_due_for_erasure(*, today: dt.date | None = None) -> models.QuerySet[Client]:
    today = today or timezone.localdate()
    cutoff = _years_before(today, settings.PRIVACY_RETENTION_YEARS)
    return Client.objects.filter(status=ClientStatus.DISCHARGED, discharged_on__lt=cutoff).exclude(
        first_name=ERASED_NAME
    )


@transaction.atomic
def client_erase(
    *,
    client_id: int,
    today: dt.date | None = None,
    actor: Any = None,  # noqa: ANN401 - a teams.User who handled an erasure request
    detail: str = "",
    on_request: bool = False,
) -> bool:
    """Anonymise one client past retention, or on the client's request (`on_request`: WGBO
    art. 7:455 lets a client have the medical record destroyed before its term once care has
    ended; the register checks the exceptions first). Idempotent: an erased record, or a young
    one without a request, is left alone; a client in care is never erased.

    Returns True when it erased something. Locks the client row so two workers cannot race.
    """
    today = today or timezone.localdate()
    client = Client.objects.select_for_update().filter(pk=client_id).first()
    candidates = (
        Client.objects.filter(status=ClientStatus.DISCHARGED).exclude(first_name=ERASED_NAME)
        if on_request
        else clients_due_for_erasure(today=today)
    )
    due = candidates.filter(pk=client_id).exists()
    if client is None or not due:
        return False
    public_id = client.public_id
    # registrations another team sent to back office with this BSN, and requests for a new BSN
    intake_requests_about(bsn=client.bsn, public_id=public_id).delete()
    Client.objects.filter(pk=client.pk).update(
        first_name=ERASED_NAME,
        last_name=ERASED_NAME,
        # Blank initials and prefix and an unknown sex belong to the erased shape too
        # (constraint client_bsn_unless_erased).
        initials="",
        name_prefix="",
        sex=Sex.UNKNOWN,
        bsn=None,  # allowed for an erased record only (constraint client_bsn_unless_erased)
        date_of_birth=client.date_of_birth.replace(month=1, day=1),
        street="",
        house_number="",
        postcode=f"{client.postcode[:4]} XX",
        city="",
        phone="",
        key_safe_note="",
        allergies="",
        alarm_note="",
        policy_number="",
        gp_name="",
        gp_agb="",
        discharge_reason="",
    )
    client.network.all().delete()
    client.indications.update(products=ERASED_NAME)
    client_wounds_erase(client=client, erased=ERASED_NAME)  # photo files go; sizes stay
    problems = client.problems.all()
    ClientProblemSign.objects.filter(client_problem__in=problems).update(
        other_text="", other_reason=""
    )
    Intervention.objects.filter(client_problem__in=problems).update(
        description=ERASED_NAME, target_other_text="", frequency=""
    )
    OutcomeRating.objects.filter(client_problem__in=problems).update(note="")
    if hasattr(client, "visits"):
        # Billed visits are read-only by law and by trigger: billing keeps them as they are.
        client.visits.filter(billed_at__isnull=True).update(notes="", log_note="")
    client_medication_erase(client=client, erased=ERASED_NAME)  # free text; sign-offs stay
    # Reports are free text about the person: they go (no aggregate figure counts them).
    CareReport.objects.filter(client=client).delete()
    if hasattr(client, "invoice_lines"):
        fiscal_cutoff = _years_before(today, BILLING_RETENTION_YEARS)
        client.invoice_lines.filter(period__lt=fiscal_cutoff).update(
            bsn="",
            client_name=ERASED_NAME,
            date_of_birth=None,
            policy_number="",
        )
    if hasattr(client, "incidents"):  # coaching.incidents: free text about the client goes
        incidents = client.incidents.all()
        action_model = incidents.model._meta.get_field("actions").related_model
        action_model._default_manager.filter(incident__in=incidents).update(text=ERASED_NAME)
        incidents.update(description=ERASED_NAME)
    # History snapshots hold the old names and BSN: they go with the record (through the one
    # function allowed to delete history, see scheduling/history/services.py).
    problem_ids = list(problems.values_list("pk", flat=True))
    history_erase_client(client_id=client.pk, problem_ids=problem_ids)
    access_log_write(
        actor=actor,  # None: the nightly job, no person
        action=Action.DELETE,
        client_public_id=public_id,
        part="gdpr-erasure",
        detail=detail or f"anonymised after {settings.PRIVACY_RETENTION_YEARS} years",
    )
    return True
