"""Writing reports, correcting them, and marking handover items read.

Every write checks its rules here (the message) with the database behind it (constraints and
the trigger of migration 0001), and logs its own access row: a page that saves a report and
moves on writes one row, the write's.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtzorg.audit.models import Action
from buurtzorg.audit.services import access_log_write
from clients.models import Client, ClientProblem, ClientStatus, RatingMoment
from clients.services import outcome_rating_append
from scheduling.carenotes.models import EDIT_WINDOW, SOAP_MAX, TEXT_MAX, CareReport, HandoverRead
from scheduling.models import Visit
from teams.models import Role, User

REPORT_EMPTY = _("Write what you saw or did; an empty report is not stored.")
REPORT_TOO_LONG = _("A report is at most %(limit)s characters (this one has %(count)s).")
SOAP_TOO_LONG = _("At most %(limit)s characters (this has %(count)s).")
REPORT_IN_FUTURE = _("A report cannot be dated in the future.")
REPORT_NOT_A_NURSE = _("Only nurses write reports.")
REPORT_CLIENT_DISCHARGED = _("This client has been discharged; the record is closed.")
REPORT_PROBLEM_OTHER_CLIENT = _("This problem belongs to another client.")
REPORT_VISIT_OTHER_CLIENT = _("This visit is with another client.")
REPORT_NOT_AUTHOR = _("Only the author can change her report.")
REPORT_ALREADY_CORRECTED = _("This entry was already corrected; change the newest version.")
RATING_NEEDS_PROBLEM = _("A rating belongs to a problem: choose the problem.")
RATING_INCOMPLETE = _("Give knowledge, behaviour and status (1-5), or none of them.")
# The rating service's field names, as the report form names them.
RATING_FIELDS = {"knowledge": "knowledge", "behavior": "behavior", "status": "status"}
# A report's clock may run a little ahead of the server's.
CLOCK_SKEW = dt.timedelta(minutes=2)


def _check_text(
    *, text: str, soap: dict[str, str], written_at: dt.datetime, now: dt.datetime
) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}
    if not text.strip():
        errors["text"] = [REPORT_EMPTY]
    elif len(text) > TEXT_MAX:
        errors["text"] = [REPORT_TOO_LONG % {"limit": TEXT_MAX, "count": len(text)}]
    for name, value in soap.items():
        if len(value) > SOAP_MAX:
            errors[name] = [SOAP_TOO_LONG % {"limit": SOAP_MAX, "count": len(value)}]
    if written_at > now + CLOCK_SKEW:
        errors["written_at"] = [REPORT_IN_FUTURE]
    return errors


def _save(report: CareReport) -> CareReport:
    """full_clean re-checks the constraints; a lost race (two corrections of one entry) or the
    trigger's refusal comes back as a ValidationError, not a 500."""
    report.full_clean()
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:
        if "carereport_not_in_future" in str(exc):
            raise ValidationError({"written_at": [REPORT_IN_FUTURE]}) from exc
        if "replaces" in str(exc) or "carereport_edit_window" in str(exc):
            raise ValidationError(REPORT_ALREADY_CORRECTED, code="already_corrected") from exc
        raise
    return report


def _log(actor: User, action: str, report: CareReport) -> None:
    problem = report.client_problem
    access_log_write(
        actor=actor,
        action=action,
        client_public_id=report.client.public_id,
        part="care-report",
        detail=f"{problem.problem.code if problem else 'general'} {report.public_id}",
    )


@transaction.atomic
def care_report_write(
    *,
    client: Client,
    actor: User,
    text: str,
    visit: Visit | None = None,
    client_problem: ClientProblem | None = None,
    written_at: dt.datetime | None = None,
    subjective: str = "",
    objective: str = "",
    assessment: str = "",
    plan: str = "",
    for_handover: bool = False,
    rating: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> CareReport:
    """Store a report about `client` (given through the caller's gate), with a KBS rating of
    its problem when `rating` has knowledge, behavior and status.

    All or nothing: a refused rating stores no report and a refused report no rating; every
    field's message is raised at once. The client row is locked, so a discharge cannot slip in
    between the check and the write.
    """
    now = now or timezone.now()
    written_at = written_at or now
    if actor.role != Role.NURSE:
        raise ValidationError(REPORT_NOT_A_NURSE, code="not_a_nurse")
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.status != ClientStatus.ACTIVE:
        raise ValidationError(REPORT_CLIENT_DISCHARGED, code="client_discharged")
    soap = {
        "subjective": subjective,
        "objective": objective,
        "assessment": assessment,
        "plan": plan,
    }
    errors = _check_text(text=text, soap=soap, written_at=written_at, now=now)
    if client_problem is not None and client_problem.client_id != client.pk:
        errors["client_problem"] = [REPORT_PROBLEM_OTHER_CLIENT]
    if visit is not None and visit.client_id != client.pk:
        errors["visit"] = [REPORT_VISIT_OTHER_CLIENT]
    scores = {k: v for k, v in (rating or {}).items() if v is not None}
    if scores and "client_problem" not in errors:
        if client_problem is None:
            errors["client_problem"] = [RATING_NEEDS_PROBLEM]
        elif set(scores) != set(RATING_FIELDS):
            errors["knowledge"] = [RATING_INCOMPLETE]
        else:
            try:
                outcome_rating_append(
                    client_problem=client_problem,
                    actor=actor,
                    rated_on=timezone.localtime(written_at).date(),
                    moment=RatingMoment.INTERIM,
                    knowledge=scores["knowledge"],
                    behavior=scores["behavior"],
                    status=scores["status"],
                    today=timezone.localtime(now).date(),
                )
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    errors.setdefault("written_at" if field == "rated_on" else field, messages)
    if errors:
        # Raising inside the atomic block rolls back a rating stored above.
        raise ValidationError(errors)
    report = _save(
        CareReport(
            client=client,
            visit=visit,
            client_problem=client_problem,
            author=actor,
            written_at=written_at,
            text=text.strip(),
            for_handover=for_handover,
            **{name: value.strip() for name, value in soap.items()},
        )
    )
    _log(actor, Action.CREATE, report)
    return report


@transaction.atomic
def care_report_revise(
    *,
    report: CareReport,
    actor: User,
    text: str,
    subjective: str = "",
    objective: str = "",
    assessment: str = "",
    plan: str = "",
    for_handover: bool = False,
    now: dt.datetime | None = None,
) -> CareReport:
    """Change a report: in place within `EDIT_WINDOW` of storing it, else as a new entry that
    replaces it (the old one is kept; the timeline shows both).

    Only the author changes her report, and only its newest version. The report row is locked:
    two saves of one report cannot both correct it (and `replaces` is unique besides).
    Returns the report as it now stands (the same row, or the new entry).
    """
    now = now or timezone.now()
    report = (
        CareReport.objects.select_for_update(of=("self",))
        .select_related("client", "client_problem__problem")
        .get(pk=report.pk)
    )
    if report.author_id != actor.pk or actor.role != Role.NURSE:
        raise ValidationError(REPORT_NOT_AUTHOR, code="not_author")
    if CareReport.objects.filter(replaces=report).exists():
        raise ValidationError(REPORT_ALREADY_CORRECTED, code="already_corrected")
    soap = {
        "subjective": subjective,
        "objective": objective,
        "assessment": assessment,
        "plan": plan,
    }
    errors = _check_text(text=text, soap=soap, written_at=report.written_at, now=now)
    if errors:
        raise ValidationError(errors)
    values = {"text": text.strip(), **{k: v.strip() for k, v in soap.items()}}
    if now - report.created_at <= EDIT_WINDOW:
        for name, value in values.items():
            setattr(report, name, value)
        report.for_handover = for_handover
        _save(report)
        _log(actor, Action.UPDATE, report)
        return report
    if report.client.status != ClientStatus.ACTIVE:
        raise ValidationError(REPORT_CLIENT_DISCHARGED, code="client_discharged")
    correction = _save(
        CareReport(
            client=report.client,
            visit=report.visit,
            client_problem=report.client_problem,
            author=actor,
            written_at=now,
            for_handover=for_handover,
            replaces=report,
            **values,
        )
    )
    _log(actor, Action.CREATE, correction)
    return correction


@transaction.atomic
def handover_mark_read(*, actor: User, item_key: str) -> HandoverRead:
    """One tap: the nurse has read this handover item. Idempotent (unique per nurse and key)."""
    mark, _created = HandoverRead.objects.get_or_create(nurse=actor, item_key=item_key[:120])
    return mark
