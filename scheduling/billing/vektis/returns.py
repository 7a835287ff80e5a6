"""Return messages (AW320): read the insurer's answer, keep its rejections, declare again.

Life of a rejected record:
1. back office uploads the insurer's AW320 for a finalised run (`return_file_store`): it is
   read with the AW320 layout (370-position records: our AW319 record followed by the
   insurer's part with up to three return codes, see layout.py), matched to the run's lines
   by the records' reference numbers, and every rejected service record is kept as a
   `Rejection` (OPEN) with its return codes. A code on the 01 record rejects every service
   record of the file; a code on a 02 record rejects that person's records.
2. back office fixes the cause (client data, contract, tariff) and marks it fixed
   (`rejection_mark_ready`, READY).
3. the insurer's next billing run declares it again (`redeclare_rows`): a NEW debit with the
   client's current BSN and policy number, same service, day of care, units and amount, whose
   "previous reference" cites the rejected record. No credit: the insurer never accepted the
   rejected record, so there is nothing to reverse; in our own books the rejected line no
   longer counts as billed (aggregation.billed_net leaves rejected lines out), so a later
   correction of that month does not credit money that was never paid.
4. finalising that run marks it REDECLARED, naming the run (`rejections_mark_redeclared`).
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import Insurer
from scheduling.billing.models import (
    BillingRun,
    LineKind,
    Rejection,
    RejectionStatus,
    ReturnFile,
    RunStatus,
)
from scheduling.billing.vektis.codes import ACCEPTED
from scheduling.billing.vektis.data import LineKey, line_key
from scheduling.billing.vektis.layout import (
    AW320,
    MESSAGE_CODE_AW320,
    RETURN_CODE_FIELDS,
    record_length,
)
from scheduling.billing.vektis.records import read_records
from teams.models import User

RUN_NOT_FINALISED = _("A return message answers a sent declaration: finalise the run first.")
NOT_A_RETURN_FILE = _("This is not a return message (AW320): {problem}.")
WRONG_INSURER = _("The return message is for UZOVI {uzovi}, which this run does not bill.")
WRONG_INVOICE = _(
    "The return message answers invoice {found}; this run's invoice for {insurer} is {expected}."
)
UNKNOWN_REFERENCE = _(
    "Record {number} cites reference '{reference}', which is not a line of this run."
)
ALREADY_UPLOADED = _("This return message was uploaded already.")
NOT_OPEN = _("Only a rejection that is still open can be marked as fixed.")
CREDIT_NOT_REDECLARED = _(
    "A rejected credit is not declared again by a run; settle it with the insurer."
)


@dataclass(frozen=True, slots=True)
class ReturnedRecord:
    record_number: int
    reference: str
    codes: tuple[str, ...]


def _codes(fields: dict[str, str]) -> tuple[str, ...]:
    return tuple(
        c for c in (fields.get(name, "") for name in RETURN_CODE_FIELDS) if c and c != ACCEPTED
    )


def parse_return_file(data: bytes) -> tuple[dict[str, str], list[ReturnedRecord], int]:
    """(lead record, rejected service records, number of records) of an AW320 file.

    Raises ValidationError naming the record when the file is not an AW320 message.
    """
    lead: dict[str, str] = {}
    rejected: list[ReturnedRecord] = []
    file_codes: tuple[str, ...] = ()
    person_codes: tuple[str, ...] = ()
    count = 0
    try:
        records = list(read_records(data, AW320))
    except UnicodeDecodeError:
        raise ValidationError(NOT_A_RETURN_FILE.format(problem=_("not ISO-8859-1 text"))) from None
    for number, kind, fields in records:
        count += 1
        if not fields:
            problem = _(
                "record %(number)s ('%(kind)s') has an unknown type or is not %(length)s characters"
            ) % {"number": number, "kind": kind, "length": record_length(AW320)}
            raise ValidationError(NOT_A_RETURN_FILE.format(problem=problem))
        if kind == "01":
            if fields["message_code"].lstrip("0") != str(MESSAGE_CODE_AW320):
                problem = _("its message code is %(found)s, not %(expected)s") % {
                    "found": fields["message_code"],
                    "expected": MESSAGE_CODE_AW320,
                }
                raise ValidationError(NOT_A_RETURN_FILE.format(problem=problem))
            lead, file_codes = fields, _codes(fields)
        elif kind == "02":
            person_codes = _codes(fields)
        elif kind == "04":
            codes = _codes(fields) + person_codes
            if codes:
                rejected.append(ReturnedRecord(number, fields["reference"], codes))
    if not lead:
        raise ValidationError(NOT_A_RETURN_FILE.format(problem=_("it has no 01 lead record")))
    if file_codes:  # the whole file is refused: every service record with it
        service_numbers = [n for n, kind, _ in records if kind == "04"]
        found = {r.record_number: r for r in rejected}
        rejected = []
        for number, kind, fields in records:
            if kind == "04":
                own = found[number].codes if number in found else ()
                rejected.append(ReturnedRecord(number, fields["reference"], own + file_codes))
        assert len(rejected) == len(service_numbers)
    return lead, rejected, count


@transaction.atomic
def return_file_store(
    *, run: BillingRun, filename: str, content: bytes, actor: User, number_for: Any
) -> ReturnFile:
    """Keep an insurer's return message for `run` and its rejections; all or nothing.

    `number_for(period=, uzovi=)` gives the run's invoice number (services.invoice_number).
    The run row is locked, so two uploads of one file cannot both be stored.
    """
    run = BillingRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.FINALISED:
        raise ValidationError({"file": [RUN_NOT_FINALISED]})
    sha256 = hashlib.sha256(content).hexdigest()
    if run.return_files.filter(sha256=sha256).exists():
        raise ValidationError({"file": [ALREADY_UPLOADED]})
    try:
        lead, rejected, count = parse_return_file(content)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    uzovi = lead.get("uzovi", "")
    insurer = Insurer.objects.filter(uzovi=uzovi).first()
    if insurer is None or not run.lines.filter(insurer=insurer).exists():
        raise ValidationError({"file": [WRONG_INSURER.format(uzovi=uzovi)]})
    expected = number_for(period=run.period, uzovi=insurer.uzovi)
    if lead.get("invoice_number") != expected:
        raise ValidationError(
            {
                "file": [
                    WRONG_INVOICE.format(
                        found=lead.get("invoice_number"), insurer=insurer.name, expected=expected
                    )
                ]
            }
        )
    wanted: dict[int, ReturnedRecord] = {}
    for record in rejected:
        tail = record.reference[len(expected) :]
        if not record.reference.startswith(expected) or not tail.isdigit():
            raise ValidationError(
                {
                    "file": [
                        UNKNOWN_REFERENCE.format(
                            number=record.record_number, reference=record.reference
                        )
                    ]
                }
            )
        wanted[int(tail)] = record
    lines = dict(
        run.lines.filter(insurer=insurer, line_number__in=wanted).values_list("line_number", "pk")
    )
    for line_number, record in wanted.items():
        if line_number not in lines:
            raise ValidationError(
                {
                    "file": [
                        UNKNOWN_REFERENCE.format(
                            number=record.record_number, reference=record.reference
                        )
                    ]
                }
            )
    return_file = ReturnFile(
        run=run,
        insurer=insurer,
        filename=filename[:120],
        sha256=sha256,
        record_count=count,
        rejected_count=len(wanted),
        uploaded_by=actor,
    )
    return_file.file.save(f"{sha256[:12]}-{filename[-60:]}", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            return_file.save()
    except IntegrityError as exc:  # lost a race with the same upload
        raise ValidationError({"file": [ALREADY_UPLOADED]}) from exc
    Rejection.objects.bulk_create(
        Rejection(
            return_file=return_file,
            line_id=lines[line_number],
            record_number=record.record_number,
            reference=record.reference,
            codes=list(record.codes),
        )
        for line_number, record in sorted(wanted.items())
    )
    return return_file


@transaction.atomic
def rejection_mark_ready(*, rejection: Rejection, actor: User) -> Rejection:
    """Back office fixed the cause: the insurer's next run declares the record again."""
    rejection = Rejection.objects.select_for_update().select_related("line").get(pk=rejection.pk)
    if rejection.status != RejectionStatus.OPEN:
        raise ValidationError(NOT_OPEN, code="not_open")
    if rejection.line.kind != LineKind.DEBIT:
        raise ValidationError(CREDIT_NOT_REDECLARED, code="credit")
    rejection.status, rejection.ready_by, rejection.ready_at = (
        RejectionStatus.READY,
        actor,
        timezone.now(),
    )
    rejection.full_clean()
    rejection.save()
    return rejection


def _scope(run: BillingRun) -> Q:
    return Q(line__client__insurer=run.insurer) if run.insurer_id else Q()


def ready_rejections(run: BillingRun) -> QuerySet[Rejection]:
    """READY rejections the run declares again: its insurer's, from earlier runs."""
    return (
        Rejection.objects.filter(_scope(run), status=RejectionStatus.READY)
        .exclude(line__run=run)
        .filter(line__run__period__lt=run.period)
    )


def redeclare_rows(run: BillingRun, covered: set[LineKey]) -> list[dict[str, Any]]:
    """Debit lines (as LineData keyword dicts, unnumbered) that declare READY rejections
    again. A (client, service, day) the run already bills (a correction redoes that month
    from its visits) is left out: that debit is the re-declaration."""
    rows: list[dict[str, Any]] = []
    seen = set(covered)
    for line, client in (
        (r.line, r.line.client)
        for r in ready_rejections(run).select_related("line__client").order_by("pk")
    ):
        key = line_key(line)
        if key in seen:
            continue
        seen.add(key)
        rows.append(
            {
                "insurer_id": client.insurer_id,
                "client_id": line.client_id,
                "line_number": 0,
                "bsn": client.bsn or "",
                "policy_number": client.policy_number,
                "client_name": line.client_name,
                "date_of_birth": client.date_of_birth,
                "service_id": line.service_id,
                "service_code": line.service_code,
                "period": line.period,
                "service_date": line.service_date,
                "kind": LineKind.DEBIT,
                "minutes": line.minutes,
                "units": line.units,
                "hourly_rate": line.hourly_rate,
                "amount": line.amount,
                "visit_ids": list(line.visit_ids),
            }
        )
    return rows


def redeclared_references(
    run: BillingRun, lines: Iterable[Any], *, number_for: Any
) -> dict[LineKey, str]:
    """(client, service, month, day) of a re-declaring debit -> the rejected record's
    reference."""
    keys = {line_key(ln) for ln in lines if ln.kind == LineKind.DEBIT}
    found: dict[LineKey, str] = {}
    rejections = (
        Rejection.objects.filter(_scope(run))
        .filter(
            Q(status=RejectionStatus.READY, line__run__period__lt=run.period)
            | Q(status=RejectionStatus.REDECLARED, redeclared_in=run)
        )
        .values_list(
            "line__client_id",
            "line__service_id",
            "line__period",
            "line__service_date",
            "reference",
        )
        .order_by("pk")
    )
    for client_id, service_id, period, day, reference in rejections:
        key = (client_id, service_id, period, day)
        if key in keys:
            found.setdefault(key, reference)
    return found


def rejections_mark_redeclared(run: BillingRun) -> int:
    """On finalising `run`: rejections of the records it bills again become REDECLARED.

    An OPEN one counts too when the run redoes its month anyway (a correction)."""
    keys = set(
        run.lines.filter(kind=LineKind.DEBIT).values_list(
            "client_id", "service_id", "period", "service_date"
        )
    )
    now = timezone.now()
    done = []
    for rejection in (
        Rejection.objects.select_for_update()
        .filter(_scope(run), status__in=(RejectionStatus.OPEN, RejectionStatus.READY))
        .filter(line__run__period__lt=run.period)
        .select_related("line")
    ):
        line = rejection.line
        if line_key(line) in keys:
            rejection.status, rejection.redeclared_in = RejectionStatus.REDECLARED, run
            rejection.ready_at = rejection.ready_at or now
            rejection.updated_at = now
            done.append(rejection)
    Rejection.objects.bulk_update(done, ["status", "redeclared_in", "ready_at", "updated_at"])
    return len(done)
