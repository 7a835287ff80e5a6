"""Every write of the billing app: contracts, tariffs, billing runs and their finalisation.

A billing run's life: `billing_run_request` (page, API or the monthly beat job) creates or
re-queues the run and enqueues `billing_run_build_task` on commit. The task calls
`billing_run_build`, which claims the run, lets PostgreSQL add up, price and number the
month's lines (`scheduling.billing.staging`; on another database they are made in Python),
writes the files from them and then, in ONE transaction, replaces the run's lines and file
rows and marks it a draft. A worker killed at any point leaves the previous state visible (nothing
or the previous draft); the redelivered task starts again from the top and produces the same
lines and bytes. `billing_run_finalise` closes the period.
"""

import dataclasses
import datetime as dt
import hashlib
import itertools
import logging
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import (
    DatabaseError,
    IntegrityError,
    connection,
    transaction,
)
from django.db.models import F
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from buurtzorg.dbrouter import replica_reads
from buurtzorg.money import format_money
from buurtzorg.tasks import RETRYABLE_ERRORS
from clients.models import Client, Insurer
from scheduling.billing import aggregation, staging
from scheduling.billing.declaration import (
    ClientHead,
    DeclarationLine,
    InsuredPerson,
    InsurerInvoice,
    InvoiceFigures,
    Sender,
    ServiceSummary,
    line_amount,
    line_reference,
    minutes_to_units,
)
from scheduling.billing.declaration import LineKind as PlainKind
from scheduling.billing.exporters import get_exporter
from scheduling.billing.files import (
    default_invoice_date,
    invoice_csv_bytes,
    invoice_pdf_bytes,
    write_invoice_csv,
)
from scheduling.billing.models import (
    CREDIT_NOTE_MAX_SEQUENCE,
    PERIOD_FIRST_YEAR,
    PERIOD_LAST_YEAR,
    TARIFF_ENDS_BEFORE_START,
    TARIFF_NOT_POSITIVE,
    BillingRun,
    Contract,
    CreditNote,
    FileKind,
    InvoiceLine,
    LineKind,
    Rejection,
    RunFile,
    RunStage,
    RunStatus,
    Tariff,
    period_out_of_range,
)
from scheduling.billing.selectors import billing_run_preflight
from scheduling.billing.vektis.checks import declaration_final_problems
from scheduling.billing.vektis.data import (
    LineKey,
    insured_people,
    line_key,
    reversed_references,
)
from scheduling.billing.vektis.returns import (
    redeclare_rows,
    redeclared_references,
    rejections_mark_redeclared,
)
from scheduling.models import CareService, Visit
from teams.models import AGB_PLACEHOLDER, User
from teams.names import join_name_prefix
from teams.selectors import organisation_details

logger = logging.getLogger(__name__)

MONTH_NOT_OVER = _(
    "{month} has not ended yet: a month can be billed from the 1st of the next month."
)
PERIOD_FINALISED = _(
    "{month} is already finalised for {who}; changes go into a later run as corrections."
)
RUN_OVERLAPS = _(
    "There is already a billing run for {month} covering {who}; open that run instead."
)
RUN_NOT_DRAFT = _("Only a draft run can be finalised; this run is {status}.")
RUN_NOT_CHECKABLE = _("Only a draft or finalised run has a pre-flight check.")
RUN_ALREADY_FINALISED = _("This run was already finalised on {date} by {who}.")
FINALISE_BLOCKED = _(
    "This run cannot be finalised: the pre-flight check found {count} problem(s). "
    "Fix them and run it again."
)
FILE_NOT_SENDABLE = _("The declaration file does not pass its layout check: {problems}")
RUN_IS_WORKING = _("This run is still working; wait until it is a draft.")
UNKNOWN_UZOVI = _("No insurer has UZOVI code {uzovi}.")
CONTRACT_EXISTS = _("{insurer} already has a contract for {year}.")
TARIFF_ZERO_OR_NEGATIVE = TARIFF_NOT_POSITIVE
SERVICE_NOT_BILLABLE = _("{service} is not billable; mark it billable before giving it a tariff.")
TARIFF_NEEDS_START = _("Give the date from which the tariff is valid.")
TARIFF_OUTSIDE_CONTRACT_YEAR = _("Choose a date in {year}, the year of the contract.")
TARIFF_OVERLAPS = _(
    "This period overlaps the tariff of {rate} {span}. A new rate ends the tariff in force "
    "on its start date the day before; choose dates that leave no other tariff overlapping."
)
TARIFF_OVERLAPS_ANOTHER = _("This period overlaps another tariff of the service.")
TARIFF_SPAN = _("valid from {start} until {end}")
TARIFF_SPAN_OPEN = _("valid from {start} until further notice")
ORGANISATION_NAME = "Buurtzorg"


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_label(period: dt.date) -> str:
    """The month in the active language: "maart 2026", "March 2026"."""
    return formats.date_format(period, "YEAR_MONTH_FORMAT")


def invoice_number(*, period: dt.date, uzovi: str) -> str:
    """12 characters, unique per insurer and month (one run per insurer and month)."""
    return f"BZ{period:%Y%m}{uzovi}"


# --- contracts and tariffs --------------------------------------------------------------------


@transaction.atomic
def contract_create(*, insurer: Insurer, year: int, reference: str = "", actor: User) -> Contract:
    """Add `insurer`'s contract for `year`, recording who added it. One per insurer and year:
    the unique constraint turns a lost race into the same message."""
    if Contract.objects.filter(insurer=insurer, year=year).exists():
        raise ValidationError({"year": [CONTRACT_EXISTS.format(insurer=insurer.name, year=year)]})
    contract = Contract(insurer=insurer, year=year, reference=reference, created_by=actor)
    contract.full_clean()
    try:
        with transaction.atomic():
            contract.save()
    except IntegrityError as exc:  # lost a race with another back-office user
        raise ValidationError(
            {"year": [CONTRACT_EXISTS.format(insurer=insurer.name, year=year)]}
        ) from exc
    return contract


def _tariff_span(tariff: Tariff) -> str:
    start = formats.date_format(tariff.valid_from, "DATE_FORMAT")
    if tariff.valid_until is None:
        return str(TARIFF_SPAN_OPEN).format(start=start)
    end = formats.date_format(tariff.valid_until, "DATE_FORMAT")
    return str(TARIFF_SPAN).format(start=start, end=end)


def _tariff_overlap_message(tariff: Tariff) -> str:
    return str(TARIFF_OVERLAPS).format(
        rate=format_money(tariff.hourly_rate), span=_tariff_span(tariff)
    )


def _tariff_input_errors(
    *,
    contract: Contract,
    service: CareService,
    hourly_rate: Decimal | None,
    valid_from: dt.date | None,
    valid_until: dt.date | None,
) -> dict[str, list[str]]:
    """What one look at the input can tell, every field at once."""
    errors: dict[str, list[str]] = {}
    if hourly_rate is None or hourly_rate <= 0:
        errors["hourly_rate"] = [str(TARIFF_ZERO_OR_NEGATIVE)]
    if not service.is_billable:
        errors["service"] = [str(SERVICE_NOT_BILLABLE).format(service=service)]
    outside_year = str(TARIFF_OUTSIDE_CONTRACT_YEAR).format(year=contract.year)
    if valid_from is None:
        errors["valid_from"] = [str(TARIFF_NEEDS_START)]
    elif valid_from.year != contract.year:
        errors["valid_from"] = [outside_year]
    if valid_until is not None:
        if valid_until.year != contract.year:
            errors["valid_until"] = [outside_year]
        elif valid_from is not None and valid_until < valid_from:
            errors["valid_until"] = [str(TARIFF_ENDS_BEFORE_START)]
    return errors


@transaction.atomic
def tariff_set(
    *,
    contract: Contract,
    service: CareService,
    hourly_rate: Decimal,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    actor: User,
) -> Tariff:
    """Set the hourly rate of `service` in `contract` from `valid_from` on, recording who set it.

    Insurers change rates per year and during one, and billing prices each visit at the
    tariff valid on its date of service, so a new rate never overwrites an old one:
    - the tariff in force on `valid_from` (started earlier) ends the day before;
    - without `valid_until` the new tariff runs until the next one starts, or until further
      notice when there is none;
    - a tariff that starts on the same day gets the new rate (a correction of that rate).
    Refused with a message at the field, nothing stored: a rate of 0 or less, a date outside
    the contract's year, an end before the start, and a period that overlaps another tariff
    (which includes an end date before the end of the tariff it would replace: the time
    after it would lose its rate).

    The contract row is locked first, so two people changing the same service's rates at once
    are serialised; the exclusion constraint `tariff_no_overlap` is the backstop whatever
    path writes.
    """
    errors = _tariff_input_errors(
        contract=contract,
        service=service,
        hourly_rate=hourly_rate,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    if errors:
        raise ValidationError(errors)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    existing = list(
        Tariff.objects.filter(contract=contract, service=service).order_by("valid_from")
    )
    same_start = next((t for t in existing if t.valid_from == valid_from), None)
    previous = next(
        (
            t
            for t in existing
            if t.valid_from < valid_from and (t.valid_until is None or t.valid_until >= valid_from)
        ),
        None,
    )
    end = valid_until
    if end is None:
        later = [t.valid_from for t in existing if t.valid_from > valid_from]
        end = min(later) - dt.timedelta(days=1) if later else None
    if (
        previous is not None
        and end is not None
        and (previous.valid_until is None or previous.valid_until > end)
    ):
        # It would go on after the new tariff ends: closing it would leave that time unpriced.
        raise ValidationError({"valid_until": [_tariff_overlap_message(previous)]})
    for other in existing:
        if other in (same_start, previous):
            continue
        if (
            other.valid_from <= (end or dt.date.max)
            and (other.valid_until or dt.date.max) >= valid_from
        ):
            field = "valid_until" if other.valid_from > valid_from else "valid_from"
            raise ValidationError({field: [_tariff_overlap_message(other)]})
    if previous is not None:
        previous.valid_until = valid_from - dt.timedelta(days=1)
        previous.full_clean()
        previous.save(update_fields=["valid_until", "updated_at"])
    tariff = same_start or Tariff(contract=contract, service=service, valid_from=valid_from)
    tariff.hourly_rate, tariff.valid_until, tariff.set_by = hourly_rate, end, actor
    tariff.full_clean()
    try:
        with transaction.atomic():
            tariff.save()
    except IntegrityError as exc:  # the exclusion constraint: a write outside this service
        if "tariff_no_overlap" not in str(exc):
            raise
        raise ValidationError({"valid_from": [str(TARIFF_OVERLAPS_ANOTHER)]}) from exc
    return tariff


def insurer_by_uzovi(uzovi: str) -> Insurer:
    insurer = Insurer.objects.filter(uzovi=(uzovi or "").strip()).first()
    if insurer is None:
        raise ValidationError({"uzovi": [UNKNOWN_UZOVI.format(uzovi=uzovi)]})
    return insurer


# --- starting a run ---------------------------------------------------------------------------


def _who(insurer: Insurer | None) -> str:
    return insurer.name if insurer else str(_("all insurers"))


@dataclass(frozen=True)
class RunRequest:
    run: BillingRun
    started: bool  # False: the same run was already queued or working (double start)


def billing_run_request(
    *, period: dt.date, insurer: Insurer | None, actor: User | None
) -> RunRequest:
    """Start (or restart) the run for `period` and `insurer`; idempotent.

    - a month that has not ended, or a finalised period, is refused with a clear message;
    - a run already queued or working is returned as it is (a double click starts nothing);
    - a draft or failed run is re-queued: its next build replaces the draft deterministically;
    - a run for all insurers and one for a single insurer may not cover the same month.
    The unique constraints make a duplicate run impossible even if two requests race.
    """
    from scheduling.billing.tasks import billing_run_build_task  # cycle: tasks import services

    period = first_of_month(period)
    if not PERIOD_FIRST_YEAR <= period.year <= PERIOD_LAST_YEAR:  # "0353-01": a typo
        raise ValidationError({"period": [period_out_of_range()]})
    if period >= first_of_month(timezone.localdate()):
        raise ValidationError({"period": [MONTH_NOT_OVER.format(month=month_label(period))]})
    try:
        with transaction.atomic():
            run = (
                BillingRun.objects.select_for_update()
                .filter(period=period, insurer=insurer)
                .first()
            )
            if run is None:
                overlapping = BillingRun.objects.filter(period=period).exclude(
                    status=RunStatus.FAILED
                )
                overlapping = (
                    overlapping.filter(insurer__isnull=True)
                    if insurer
                    else overlapping.filter(insurer__isnull=False)
                )
                other = overlapping.select_related("insurer").first()
                if other is not None:
                    if other.status == RunStatus.FINALISED:
                        raise ValidationError(
                            {
                                "period": [
                                    PERIOD_FINALISED.format(
                                        month=month_label(period), who=_who(other.insurer)
                                    )
                                ]
                            }
                        )
                    raise ValidationError(
                        {
                            "period": [
                                RUN_OVERLAPS.format(
                                    month=month_label(period), who=_who(other.insurer)
                                )
                            ]
                        }
                    )
                run = BillingRun(period=period, insurer=insurer)
                run.requested_by, run.requested_at = actor, timezone.now()
                run.full_clean(validate_constraints=False)
                run.save()
                billing_run_build_task.delay_on_commit(run.pk)
                return RunRequest(run=run, started=True)
            if run.status == RunStatus.FINALISED:
                raise ValidationError(
                    {
                        "period": [
                            PERIOD_FINALISED.format(month=month_label(period), who=_who(insurer))
                        ]
                    }
                )
            if run.is_working:
                return RunRequest(run=run, started=False)
            # draft or failed: queue a rebuild that replaces the draft
            run.status, run.stage, run.error = RunStatus.PENDING, RunStage.QUEUED, ""
            run.requested_by, run.requested_at = actor, timezone.now()
            run.files_done = 0
            run.save()
            billing_run_build_task.delay_on_commit(run.pk)
            return RunRequest(run=run, started=True)
    except IntegrityError:
        # Two requests raced past the lookup; the constraint kept one. Return that one.
        run = BillingRun.objects.get(period=period, insurer=insurer)
        return RunRequest(run=run, started=False)


def billing_run_schedule_previous_month(*, today: dt.date | None = None) -> RunRequest | None:
    """Beat job: a draft run for all insurers for last month, unless one exists already."""
    today = today or timezone.localdate()
    period = first_of_month(first_of_month(today) - dt.timedelta(days=1))
    if BillingRun.objects.filter(period=period).exists():
        return None
    try:
        return billing_run_request(period=period, insurer=None, actor=None)
    except ValidationError:
        logger.exception("Monthly billing run for %s not started", period)
        return None


# --- building a run (the Celery task's work) --------------------------------------------------


def _progress(run_id: int, **fields: object) -> None:
    """Progress is written outside the build transaction so the page can show it live."""
    BillingRun.objects.filter(pk=run_id).update(**fields, updated_at=timezone.now())


@transaction.atomic
def _claim(run_id: int) -> BillingRun | None:
    run = BillingRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None or run.status not in (RunStatus.PENDING, RunStatus.RUNNING):
        return None  # finalised, already a draft, or gone: a redelivered task does nothing
    run.status, run.stage = RunStatus.RUNNING, RunStage.AGGREGATING
    run.started_at, run.finished_at = timezone.now(), None
    run.attempts = F("attempts") + 1
    run.save()
    run.refresh_from_db()
    return run


@dataclass(slots=True)
class LineData:
    """A priced invoice line before it is stored: light (no model instance) for big months.

    Same attribute names as `InvoiceLine`, so the file writers take either.
    """

    insurer_id: int
    client_id: int
    line_number: int
    bsn: str
    policy_number: str
    client_name: str
    date_of_birth: dt.date | None
    service_id: int
    service_code: str
    period: dt.date
    service_date: dt.date | None
    kind: str
    minutes: int
    units: int
    hourly_rate: Decimal
    amount: Decimal
    visit_ids: Sequence[int]  # a tuple from the aggregation, a list from elsewhere


LINE_FIELDS = [f for f in LineData.__dataclass_fields__]


def _initials_name(last_name: str, first_name: str) -> str:
    initials = "".join(f"{part[0]}." for part in first_name.split() if part)
    return f"{last_name} {initials}".strip()[:60]


def _people(run: BillingRun) -> dict[int, tuple[str, dt.date | None]]:
    """Each client's printed name and date of birth: of the run's insurer's clients (all
    clients for a national run); every line's client is one, as the aggregation and the
    corrections select by the client's insurer."""
    clients = Client.objects.filter(insurer=run.insurer) if run.insurer else Client.objects.all()
    people: dict[int, tuple[str, dt.date | None]] = {}
    for pk, prefix, last, first, born in clients.values_list(
        "pk", "name_prefix", "last_name", "first_name", "date_of_birth"
    ).iterator(chunk_size=10_000):
        # The surname with its tussenvoegsel ("de Jong J."), as before names were split.
        people[pk] = (_initials_name(join_name_prefix(prefix, last), first), born)
    return people


def _price(
    run: BillingRun,
    people: dict[int, tuple[str, dt.date | None]],
    groups: Iterable[aggregation.Group],
    correction_groups: list[aggregation.Group],
    credits: list[aggregation.BilledNet],
    *,
    covered: set[LineKey] | frozenset[LineKey] = frozenset(),
) -> tuple[list[LineData], int, int]:
    """Invoice lines (unsaved, numbered in file order), the number of groups and the number
    of unpriced groups.

    Each group comes priced: the aggregation joined the tariff valid on its visits' date of
    service (a month with a rate change gives a group per rate). `groups` may be a stream
    (a national month has 1.4 million): each group becomes its line and is let go, and the
    values lines repeat (a client's name, a rate, an amount) are shared objects. `covered`:
    keys of rejected records that debits made elsewhere bill (the staged month's).

    Everything else is read before the stream starts: no other query may run on the
    connection while it is open."""
    codes = dict(CareService.objects.values_list("pk", "code"))
    # Rejected records back office has fixed are declared again (scheduling.billing.vektis);
    # read before the stream too. Only the keys of rejected lines can matter to it.
    rejected = rejected_line_keys()
    lines: list[LineData] = []
    unpriced = 0
    count = len(correction_groups) + len(credits)
    for credit in credits:
        name, born = people[credit.client_id]
        lines.append(
            LineData(
                insurer_id=credit.insurer_id,
                client_id=credit.client_id,
                line_number=0,
                bsn=credit.bsn,
                policy_number=credit.policy_number,
                client_name=name,
                date_of_birth=born,
                service_id=credit.service_id,
                service_code=codes[credit.service_id],
                period=credit.period,
                service_date=credit.service_date,
                kind=LineKind.CREDIT,
                minutes=-credit.minutes,
                units=-credit.units,
                hourly_rate=credit.hourly_rate,
                amount=-credit.amount,
                visit_ids=list(credit.visit_ids),
            )
        )
    amounts: dict[tuple[int, Decimal], Decimal] = {}
    for group in itertools.chain(groups, correction_groups):
        count += 1
        # The tariff valid on the visits' date of service, joined by the aggregation.
        rate = group.hourly_rate
        units = minutes_to_units(group.minutes)
        if rate is None:
            unpriced += 1
            continue
        if units == 0 and group.minutes <= 0:
            continue
        name, born = people[group.client_id]
        amount = amounts.get((units, rate))
        if amount is None:
            amount = amounts[units, rate] = line_amount(units=units, hourly_rate=rate)
        lines.append(
            LineData(
                insurer_id=group.insurer_id,
                client_id=group.client_id,
                line_number=0,
                bsn=group.bsn,
                policy_number=group.policy_number,
                client_name=name,
                date_of_birth=born,
                service_id=group.service_id,
                service_code=group.service_code,
                period=group.period,
                service_date=group.service_date,
                kind=LineKind.DEBIT,
                minutes=group.minutes,
                units=units,
                hourly_rate=rate,
                amount=amount,
                visit_ids=group.visit_ids,
            )
        )
    del people
    covered = set(covered) | {
        key for ln in lines if ln.kind == LineKind.DEBIT and (key := line_key(ln)) in rejected
    }
    lines += [LineData(**row) for row in redeclare_rows(run, covered)]
    lines.sort(key=line_order)
    counters: dict[int, int] = defaultdict(int)
    for line in lines:
        counters[line.insurer_id] += 1
        line.line_number = counters[line.insurer_id]
    return lines, count, unpriced


def rejected_line_keys() -> set[LineKey]:
    """The keys of every line an insurer ever rejected: a few, where a run has a million
    lines. `redeclare_rows` and `redeclared_references` look only at lines with such a key,
    so they are handed those lines alone rather than a key set of the whole month."""
    return {
        (client_id, service_id, period, day)
        for client_id, service_id, period, day in Rejection.objects.values_list(
            "line__client_id", "line__service_id", "line__period", "line__service_date"
        )
    }


def line_order(ln: Any) -> tuple:
    """File order within an insurer: client by BSN, credits first, month of care, service
    code, day of care. A client's days of one service and month are consecutive records, so
    the invoice's appendix can summarise them as one row (files.appendix_rows)."""
    return (
        ln.insurer_id,
        ln.bsn,
        ln.client_id,
        ln.kind != LineKind.CREDIT,
        ln.period,
        ln.service_code,
        ln.service_date or dt.date.min,
    )


def _attach_handled_visits(
    lines: list[LineData], handled: dict[tuple[int, dt.date], list[int]]
) -> None:
    """Give each redone client-month's unbilled visits to its first line (see aggregation)."""
    for line in lines:
        extra = handled.pop((line.client_id, line.period), None)
        if extra:
            line.visit_ids = sorted(set(line.visit_ids) | set(extra))


def invoices_from_lines(run: BillingRun, lines: list[Any]) -> list[InsurerInvoice]:
    """Plain invoices (one per insurer, by UZOVI) from stored or freshly priced lines."""
    return list(iter_invoices(run, lines))


@dataclass(frozen=True)
class _InvoiceHeading:
    """What every invoice of a run says besides its lines: the organisation and its details,
    the period, the invoice date and the credit note numbers."""

    run: BillingRun
    organisation_name: str
    agb: str
    sender: Sender
    credit_numbers: dict[int, str]

    @classmethod
    def of(cls, run: BillingRun) -> "_InvoiceHeading":
        organisation = organisation_details()
        return cls(
            run=run,
            organisation_name=organisation.name or ORGANISATION_NAME,
            agb=organisation.agb_code if organisation.agb_is_set else AGB_PLACEHOLDER,
            sender=Sender(
                address=organisation.address,
                postcode=organisation.postcode,
                city=organisation.city,
                kvk_number=organisation.kvk_number,
                iban=organisation.iban_display,
                vat_note=organisation.vat_exemption_note,
                payment_term_days=organisation.payment_term_days,
            ),
            credit_numbers=dict(
                CreditNote.objects.filter(run=run).values_list("insurer_id", "number")
            ),
        )

    def invoice(
        self,
        *,
        insurer: Insurer,
        number: str,
        insured: dict[str, InsuredPerson],
        lines: Iterable[DeclarationLine],
        figures: InvoiceFigures | None = None,
    ) -> InsurerInvoice:
        return InsurerInvoice(
            organisation_name=self.organisation_name,
            sender_agb=self.agb,
            insurer_name=insurer.name,
            uzovi=insurer.uzovi,
            period=self.run.period,
            invoice_number=number,
            invoice_date=default_invoice_date(self.run.period),
            sender=self.sender,
            credit_note_number=self.credit_numbers.get(insurer.pk, ""),
            insured=insured,
            lines=lines,
            figures=figures,
        )


def iter_invoices(run: BillingRun, lines: list[Any]) -> Iterator[InsurerInvoice]:
    """The invoices one at a time, by UZOVI, from lines held in memory (stored lines read
    back, or a build on a database other than PostgreSQL; see StagedLines for a month's)."""
    insurers = Insurer.objects.in_bulk({ln.insurer_id for ln in lines})
    service_names = dict(CareService.objects.values_list("pk", "name"))
    by_insurer: dict[int, list[Any]] = defaultdict(list)
    for line in lines:
        by_insurer[line.insurer_id].append(line)
    heading = _InvoiceHeading.of(run)
    # The insured records' data and the references credits reverse (scheduling.billing.vektis)
    insured = insured_people({ln.client_id for ln in lines})
    reversed_refs = reversed_references(lines, number_for=invoice_number)
    rejected = rejected_line_keys()
    redeclared_refs = redeclared_references(
        run, (ln for ln in lines if line_key(ln) in rejected), number_for=invoice_number
    )
    for insurer_id in sorted(by_insurer, key=lambda pk: insurers[pk].uzovi):
        insurer = insurers[insurer_id]
        insurer_lines = by_insurer.pop(insurer_id)
        insurer_lines.sort(key=lambda ln: ln.line_number)
        number = invoice_number(period=run.period, uzovi=insurer.uzovi)
        yield heading.invoice(
            insurer=insurer,
            number=number,
            insured={str(ln.client_id): insured[ln.client_id] for ln in insurer_lines},
            lines=[
                DeclarationLine(
                    line_number=ln.line_number,
                    client_ref=str(ln.client_id),
                    bsn=ln.bsn,
                    policy_number=ln.policy_number,
                    date_of_birth=ln.date_of_birth,
                    client_name=ln.client_name,
                    service_code=ln.service_code,
                    service_name=service_names.get(ln.service_id, ln.service_code),
                    period=ln.period,
                    service_date=ln.service_date,
                    minutes=ln.minutes,
                    units=ln.units,
                    hourly_rate=Decimal(ln.hourly_rate),
                    amount=Decimal(ln.amount),
                    kind=PlainKind.CREDIT if ln.kind == LineKind.CREDIT else PlainKind.DEBIT,
                    visit_count=len(ln.visit_ids),
                    reference=line_reference(number, ln.line_number),
                    reverses=(
                        reversed_refs.get((line_key(ln), Decimal(ln.hourly_rate)), "")
                        if ln.kind == LineKind.CREDIT
                        else redeclared_refs.get(line_key(ln), "")
                    ),
                )
                for ln in insurer_lines
            ],
        )


@dataclass(frozen=True)
class RenderedFile:
    insurer_uzovi: str
    kind: str
    filename: str
    content_type: str
    content: bytes
    invoice_number: str
    total: Decimal

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def render_invoice_files(invoice: InsurerInvoice) -> list[RenderedFile]:
    """The three files of one insurer's invoice. Pure: same invoice, same bytes."""
    exporter = get_exporter()
    stem = f"{invoice.invoice_number}-{invoice.uzovi}"

    def rendered(kind: str, filename: str, content_type: str, content: bytes) -> RenderedFile:
        return RenderedFile(
            kind=kind,
            filename=filename,
            content_type=content_type,
            content=content,
            insurer_uzovi=invoice.uzovi,
            invoice_number=invoice.invoice_number,
            total=invoice.total,
        )

    # A negative balance: the PDF is a credit note, named and numbered in its own series.
    pdf_stem = f"{invoice.document_number}-{invoice.uzovi}"
    return [
        rendered(
            FileKind.CSV, f"{stem}.csv", "text/csv; charset=utf-8", invoice_csv_bytes(invoice)
        ),
        rendered(
            FileKind.DECLARATION,
            exporter.filename(invoice),
            exporter.content_type,
            exporter.render(invoice),
        ),
        dataclasses.replace(
            rendered(
                FileKind.PDF, f"{pdf_stem}.pdf", "application/pdf", invoice_pdf_bytes(invoice)
            ),
            invoice_number=invoice.document_number,
        ),
    ]


@dataclass(frozen=True)
class StoredFile:
    """A file of a run, written to storage (see `store_invoice_files`)."""

    kind: str
    filename: str
    content_type: str
    name: str  # its name in default_storage
    size: int
    sha256: str
    invoice_number: str
    total: Decimal


class _Counting:
    """Writes to `out` while counting the bytes and hashing them (sha256)."""

    def __init__(self, out: BinaryIO):
        self.out, self.size, self.digest = out, 0, hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.out.write(data)
        self.size += len(data)
        self.digest.update(data)
        return len(data)


def _store(path: str, write: Callable[[BinaryIO], None]) -> tuple[str, int, str]:
    """Write a file through a temporary file on disk into default_storage at `path`.

    Nothing is stored when `write` raises (a declaration that fails its check)."""
    with tempfile.TemporaryFile() as tmp:
        counting = _Counting(tmp)
        write(counting)  # type: ignore[arg-type]  # duck-typed: only write() is called
        tmp.seek(0)
        if default_storage.exists(path):
            default_storage.delete(path)
        name = default_storage.save(path, File(tmp))
    return name, counting.size, counting.digest.hexdigest()


def store_invoice_files(invoice: InsurerInvoice, folder: str) -> list[StoredFile]:
    """The three files of one insurer's invoice written to storage under `folder`, in blocks
    (the same bytes as `render_invoice_files`, never a whole national file in memory)."""
    exporter = get_exporter()
    stem = f"{invoice.invoice_number}-{invoice.uzovi}"
    pdf_stem = f"{invoice.document_number}-{invoice.uzovi}"

    def write_pdf(out: BinaryIO) -> None:
        out.write(invoice_pdf_bytes(invoice))

    specs: list[tuple[str, str, str, Callable[[BinaryIO], None], str]] = [
        (
            FileKind.CSV,
            f"{stem}.csv",
            "text/csv; charset=utf-8",
            lambda out: write_invoice_csv(invoice, out),
            invoice.invoice_number,
        ),
        (
            FileKind.DECLARATION,
            exporter.filename(invoice),
            exporter.content_type,
            lambda out: exporter.write(invoice, out),
            invoice.invoice_number,
        ),
        (
            FileKind.PDF,
            f"{pdf_stem}.pdf",
            "application/pdf",
            write_pdf,
            invoice.document_number,
        ),
    ]
    stored = []
    for kind, filename, content_type, write, number in specs:
        name, size, sha256 = _store(f"{folder}/{filename}", write)
        stored.append(
            StoredFile(kind, filename, content_type, name, size, sha256, number, invoice.total)
        )
    return stored


CREDIT_NOTE_SERIES_FULL = _("The credit note series of {year} is full (9999 numbers).")


def credit_note_number_assign(*, run: BillingRun, insurer: Insurer, year: int) -> str:
    """The credit note number of `insurer` in `run`: the one it has, or the next of `year`'s
    series. Committed at once (its own transaction), so a rebuild of the draft finds it again;
    two runs numbering at the same moment collide on the unique (year, sequence) and the loser
    takes the next number."""
    for _attempt in range(20):
        existing = CreditNote.objects.filter(run=run, insurer=insurer).first()
        if existing is not None:
            return existing.number
        last = CreditNote.objects.filter(year=year).order_by("-sequence").first()
        sequence = (last.sequence if last else 0) + 1
        if sequence > CREDIT_NOTE_MAX_SEQUENCE:
            raise ValidationError(CREDIT_NOTE_SERIES_FULL.format(year=year))
        try:
            with transaction.atomic():
                note = CreditNote.objects.create(
                    run=run,
                    insurer=insurer,
                    year=year,
                    sequence=sequence,
                    number=CreditNote.format_number(year, sequence),
                )
        except IntegrityError:
            continue
        return note.number
    raise RuntimeError(f"No credit note number for run {run.pk} after 20 attempts")


def _number_credit_notes_of(run: BillingRun, insurer_ids: list[int]) -> list[int]:
    """Give each insurer with a negative balance in `run` its credit note number (kept in
    CreditNote, where `iter_invoices` finds it); returns those insurers' ids."""
    year = default_invoice_date(run.period).year
    for insurer in Insurer.objects.filter(pk__in=insurer_ids):
        credit_note_number_assign(run=run, insurer=insurer, year=year)
    return insurer_ids


def billing_run_build(*, billing_run_id: int) -> BillingRun | None:
    """Build the draft of a run; safe to call twice or after a crash (see module docstring).

    Database errors propagate so the task retries with backoff; any other error marks the run
    failed with the message, and nothing of this attempt is visible.
    """
    run = _claim(billing_run_id)
    if run is None:
        return None
    try:
        return _build(run)
    except RETRYABLE_ERRORS as exc:
        logger.warning("Billing run %s: database error, will retry: %s", run.pk, exc)
        raise
    except Exception as exc:
        logger.exception("Billing run %s failed", run.pk)
        _progress(
            run.pk,
            status=RunStatus.FAILED,
            stage=RunStage.DONE,
            finished_at=timezone.now(),
            error=f"{exc.__class__.__name__}: {exc}"[:2000],
        )
        return BillingRun.objects.get(pk=run.pk)


def _build(run: BillingRun) -> BillingRun:
    clock = time.monotonic()

    def lap(step: str) -> None:
        nonlocal clock
        now = time.monotonic()
        logger.info("Billing run %s: %s took %.1f s", run.pk, step, now - clock)
        clock = now

    pairs = aggregation.correction_pairs(period=run.period, insurer=run.insurer)
    correction_groups = aggregation.correction_groups(pairs=pairs)
    credits = aggregation.billed_net(pairs=pairs)
    handled = aggregation.unbilled_visits_of_pairs(pairs)
    lap("corrections")
    _progress(run.pk, stage=RunStage.PRICING)
    built: BuiltLines
    if connection.vendor == "postgresql":
        # The month is added up, priced and numbered in the database (scheduling.billing.staging)
        built = _build_staged(run, correction_groups, credits, handled)
    else:
        built = _build_in_memory(run, correction_groups, credits, handled)
    del correction_groups, credits, handled
    try:
        return _finish(run, built, lap)
    finally:
        built.close()


def _finish(run: BillingRun, built: "BuiltLines", lap: Callable[[str], None]) -> BillingRun:
    _progress(run.pk, groups_total=built.groups_total)
    balances = built.balances()
    negative = _number_credit_notes_of(run, [pk for pk, total in balances.items() if total < 0])
    lap("aggregation and pricing")
    _progress(run.pk, stage=RunStage.FILES, files_total=3 * len(balances), files_done=0)
    # Files go to attempt-specific paths: the previous draft's files stay untouched until
    # the new rows commit, and an interrupted attempt's files are never referenced.
    folder = f"billing/{run.public_id}/{run.attempts}"
    file_rows = []
    done = 0
    insurers = {i.uzovi: i for i in Insurer.objects.filter(pk__in=list(balances))}
    for invoice in built.invoices(run):
        insurer = insurers[invoice.uzovi]
        for stored in store_invoice_files(invoice, folder):
            file_rows.append(
                RunFile(
                    run=run,
                    insurer=insurer,
                    kind=stored.kind,
                    file=stored.name,
                    filename=stored.filename,
                    content_type=stored.content_type,
                    size=stored.size,
                    sha256=stored.sha256,
                    invoice_number=stored.invoice_number,
                    total_amount=stored.total,
                )
            )
            done += 1
            _progress(run.pk, files_done=done)
    lap("files")
    _progress(run.pk, stage=RunStage.SAVING)
    client_count, line_count, credit_line_count, visit_count = built.counts()
    summary = built.summary_rows()
    old_paths: list[str] = []
    with transaction.atomic():
        locked = BillingRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != RunStatus.RUNNING:
            return locked  # finalised or restarted meanwhile: leave it alone
        old_paths = [f.file.name for f in locked.files.all() if f.file.name]
        locked.files.all().delete()
        locked.lines.all().delete()
        # A credit note number this build does not use (the balance is no longer negative)
        # goes back to the series.
        locked.credit_notes.exclude(insurer_id__in=negative).delete()
        _store_lines(locked, built)
        RunFile.objects.bulk_create(file_rows)
        locked.status, locked.stage = RunStatus.DRAFT, RunStage.DONE
        locked.finished_at = timezone.now()
        locked.client_count = client_count
        locked.line_count = line_count
        locked.credit_line_count = credit_line_count
        locked.visit_count = visit_count
        locked.unpriced_count = built.unpriced
        locked.total_amount = sum(balances.values(), Decimal("0"))
        locked.error = ""
        locked.summary = summary
        locked.preflight, locked.preflight_at = [], None  # checked next, by its own task
        locked.save()
    lap("saving")
    if settings.BILLING_CHECK_AFTER_BUILD:
        # Its own job, after the draft is committed: at national scale the check reads the
        # whole month again (tens of seconds), and the build's memory is free by then.
        from scheduling.billing.tasks import billing_run_check_task  # cycle: tasks import services

        billing_run_check_task.delay(locked.pk)
    keep = {row.file.name for row in file_rows}
    for path in old_paths:  # the previous draft's files, now unreferenced
        if path not in keep:
            default_storage.delete(path)
    return locked


class BuiltLines:
    """A run's priced and numbered lines, wherever they are kept: what `_finish` needs of
    them (the files' invoices, totals, counts and storing them in the final transaction)."""

    groups_total = 0
    unpriced = 0

    def balances(self) -> dict[int, Decimal]:
        raise NotImplementedError

    def invoices(self, run: BillingRun) -> Iterator[InsurerInvoice]:
        raise NotImplementedError

    def counts(self) -> tuple[int, int, int, int]:
        """(clients, lines, credit lines, distinct visits)."""
        raise NotImplementedError

    def summary_rows(self) -> list[dict]:
        raise NotImplementedError

    def store(self, run: BillingRun) -> None:
        raise NotImplementedError

    def close(self) -> None:
        return None


class InMemoryLines(BuiltLines):
    """The lines as Python objects (a database other than PostgreSQL: a small demo)."""

    def __init__(self, lines: list["LineData"], groups_total: int, unpriced: int):
        self.lines, self.groups_total, self.unpriced = lines, groups_total, unpriced

    def balances(self) -> dict[int, Decimal]:
        balances: dict[int, Decimal] = defaultdict(Decimal)
        for line in self.lines:
            balances[line.insurer_id] += line.amount
        return dict(balances)

    def invoices(self, run: BillingRun) -> Iterator[InsurerInvoice]:
        return iter_invoices(run, self.lines)

    def counts(self) -> tuple[int, int, int, int]:
        lines = self.lines
        return (
            len({ln.client_id for ln in lines}),
            len(lines),
            sum(1 for ln in lines if ln.kind == LineKind.CREDIT),
            _distinct_visit_count(lines),
        )

    def summary_rows(self) -> list[dict]:
        return _summary_rows(self.lines)

    def store(self, run: BillingRun) -> None:
        InvoiceLine.objects.bulk_create(
            [InvoiceLine(run=run, **{f: getattr(ln, f) for f in LINE_FIELDS}) for ln in self.lines],
            batch_size=2000,
        )


def _build_in_memory(
    run: BillingRun,
    correction_groups: list[aggregation.Group],
    credits: list[aggregation.BilledNet],
    handled: dict[tuple[int, dt.date], list[int]],
) -> InMemoryLines:
    groups = aggregation.iter_month_groups(period=run.period, insurer=run.insurer)
    lines, groups_total, unpriced = _price(run, _people(run), groups, correction_groups, credits)
    _attach_handled_visits(lines, handled)
    return InMemoryLines(lines, groups_total, unpriced)


class StagedLines(BuiltLines):
    """The lines in this session's temporary tables (scheduling.billing.staging): the month's
    bulk never becomes Python objects; the few lines the Python path made are kept here for
    the references of credits and re-declarations."""

    def __init__(self, python_lines: list["LineData"], keyed: list[Any], total: int, unpriced: int):
        self.python_lines, self.keyed = python_lines, keyed
        self.groups_total, self.unpriced = total, unpriced

    def balances(self) -> dict[int, Decimal]:
        return staging.balances()

    def counts(self) -> tuple[int, int, int, int]:
        return staging.counts()

    def summary_rows(self) -> list[dict]:
        return _summary_of_totals(staging.summary_totals())

    def store(self, run: BillingRun) -> None:
        staging.store(run.pk, timezone.now())

    def close(self) -> None:
        try:
            staging.drop()
        except DatabaseError:  # a lost connection took the session's tables with it
            logger.warning("Billing: the staging tables could not be dropped", exc_info=True)

    def invoices(self, run: BillingRun) -> Iterator[InsurerInvoice]:
        heading = _InvoiceHeading.of(run)
        service_names = dict(CareService.objects.values_list("pk", "name"))
        # The references credits reverse and re-declarations cite: of the few lines that can
        # have one (credits come from the Python path; `keyed` are the rejected keys billed).
        reversed_refs = reversed_references(self.python_lines, number_for=invoice_number)
        redeclared_refs = redeclared_references(run, self.keyed, number_for=invoice_number)
        insurers = Insurer.objects.in_bulk(list(staging.balances()))
        for insurer_id in sorted(insurers, key=lambda pk: insurers[pk].uzovi):
            insurer = insurers[insurer_id]
            number = invoice_number(period=run.period, uzovi=insurer.uzovi)
            client_ids = staging.insurer_clients(insurer_id)
            insured = insured_people(client_ids)
            debit, credit, units, insured_count, line_count, per_service = staging.insurer_figures(
                insurer_id
            )
            summary = sorted(
                (
                    (
                        (kind != LineKind.CREDIT, code, rate, kind),
                        ServiceSummary(
                            service_code=code,
                            service_name=service_names.get(service_id, code),
                            hourly_rate=rate,
                            kind=PlainKind.CREDIT if kind == LineKind.CREDIT else PlainKind.DEBIT,
                            lines=lines,
                            units=group_units,
                            amount=amount,
                        ),
                    )
                    for code, rate, kind, service_id, lines, group_units, amount in per_service
                ),
                key=lambda item: item[0],
            )
            yield heading.invoice(
                insurer=insurer,
                number=number,
                insured={str(pk): insured[pk] for pk in client_ids},
                lines=_StreamedLines(
                    insurer_id, number, service_names, reversed_refs, redeclared_refs
                ),
                figures=InvoiceFigures(
                    total_debit=debit,
                    total_credit=credit,
                    total_units=units,
                    insured_count=insured_count,
                    line_count=line_count,
                    summary=[row for _key, row in summary],
                ),
            )


class _StreamedLines:
    """One insurer's lines as DeclarationLines, read from the database again each time they
    are iterated (once for the CSV, once for the declaration, a little for the PDF)."""

    def __init__(
        self,
        insurer_id: int,
        number: str,
        service_names: dict[int, str],
        reversed_refs: dict[tuple[LineKey, Decimal], str],
        redeclared_refs: dict[LineKey, str],
    ):
        self.insurer_id, self.number, self.service_names = insurer_id, number, service_names
        self.reversed_refs, self.redeclared_refs = reversed_refs, redeclared_refs

    def __iter__(self) -> Iterator[DeclarationLine]:
        return self.between(1, None)

    def text_blocks(
        self,
        line_sql: str,
        params: list[Any],
        *,
        columns: Sequence[tuple[str, str, list[Any]]] = (),
    ) -> Iterator[tuple[int, int, Decimal, str | None]]:
        return staging.text_blocks(
            self.insurer_id,
            line_sql,
            params,
            columns=columns,
            redeclared_clients=self._redeclared_clients(),
        )

    def client_runs(self) -> Iterator[tuple[ClientHead, int]]:
        for client_id, line_number, bsn, policy, born, name in staging.client_runs(self.insurer_id):
            yield ClientHead(str(client_id), bsn, policy, born, name), line_number

    def _redeclared_clients(self) -> list[int]:
        return sorted({key[0] for key in self.redeclared_refs})

    def between(self, first: int, last: int | None) -> Iterator[DeclarationLine]:
        number, names = self.number, self.service_names
        reversed_refs, redeclared_refs = self.reversed_refs, self.redeclared_refs
        client_refs: dict[int, str] = {}
        for row in staging.iter_rows(self.insurer_id, first=first, last=last):
            (
                line_number,
                client_id,
                bsn,
                policy_number,
                born,
                name,
                service_id,
                code,
                period,
                day,
                minutes,
                units,
                rate,
                amount,
                kind,
                visit_count,
            ) = row
            credit = kind == LineKind.CREDIT
            key = (client_id, service_id, period, day)
            ref = client_refs.get(client_id)
            if ref is None:
                ref = client_refs[client_id] = str(client_id)
            yield DeclarationLine(
                line_number=line_number,
                client_ref=ref,
                bsn=bsn,
                policy_number=policy_number,
                date_of_birth=born,
                client_name=name,
                service_code=code,
                service_name=names.get(service_id, code),
                period=period,
                service_date=day,
                minutes=minutes,
                units=units,
                hourly_rate=rate,
                amount=amount,
                kind=PlainKind.CREDIT if credit else PlainKind.DEBIT,
                visit_count=visit_count,
                reference=line_reference(number, line_number),
                reverses=(
                    reversed_refs.get((key, rate), "") if credit else redeclared_refs.get(key, "")
                ),
            )


def _build_staged(
    run: BillingRun,
    correction_groups: list[aggregation.Group],
    credits: list[aggregation.BilledNet],
    handled: dict[tuple[int, dt.date], list[int]],
) -> StagedLines:
    people = _people(run)
    staging.stage_people((pk, name, born) for pk, (name, born) in people.items())
    sql, params = aggregation.month_rows_for_staging(period=run.period, insurer=run.insurer)
    bulk_groups, bulk_unpriced = staging.stage_month(
        groups_sql=sql, params=params, period=run.period
    )
    # A rejected record of the month itself is billed by the month's own debit (as a
    # correction's re-billing is): those keys are not declared again from the rejection.
    rejected = rejected_line_keys()
    billed = staging.staged_keys(rejected)
    lines, count, unpriced = _price(run, people, [], correction_groups, credits, covered=billed)
    del people
    _attach_handled_visits(lines, handled)
    staging.stage_lines(lines)
    staging.number()
    keyed = [ln for ln in lines if line_key(ln) in rejected] + [_KeyedDebit(*key) for key in billed]
    return StagedLines(lines, keyed, count + bulk_groups, unpriced + bulk_unpriced)


@dataclass(frozen=True)
class _KeyedDebit:
    """A debit of the staged month, by its key alone (for `redeclared_references`)."""

    client_id: int
    service_id: int
    period: dt.date
    service_date: dt.date | None
    kind: str = LineKind.DEBIT


def _summary_of_totals(totals: list[tuple[int, str, str, int, int, Decimal]]) -> list[dict]:
    """`_summary_rows` from the database's totals per insurer, service code and kind."""
    insurers = Insurer.objects.in_bulk({insurer_id for insurer_id, *_rest in totals})
    rows = [
        {
            "insurer__name": insurers[insurer_id].name,
            "insurer__uzovi": insurers[insurer_id].uzovi,
            "service_code": code,
            "kind": kind,
            "lines": count,
            "units": units,
            "amount": str(amount),
        }
        for insurer_id, code, kind, count, units, amount in totals
    ]
    rows.sort(key=lambda row: (row["insurer__name"], row["kind"], row["service_code"]))
    return rows


def _distinct_visit_count(lines: list[LineData]) -> int:
    """How many distinct visits the lines bill (a visit with two services is on two lines).

    A bit per visit id rather than a set of them: a national month's 1.4 million ids made a
    set of some 70 MB, while the lines were still held; the bits of 12 million ids are 1.5 MB.
    """
    top = max((v for ln in lines for v in ln.visit_ids), default=-1)
    seen = bytearray(top // 8 + 1)
    count = 0
    for ln in lines:
        for v in ln.visit_ids:
            byte, bit = v >> 3, 1 << (v & 7)
            if not seen[byte] & bit:
                seen[byte] |= bit
                count += 1
    return count


def _summary_rows(lines: list[LineData]) -> list[dict]:
    """Lines, units and amount per insurer, service and kind (see BillingRun.summary)."""
    totals: dict[tuple[int, str, str], list] = {}
    for ln in lines:
        total = totals.setdefault((ln.insurer_id, ln.service_code, ln.kind), [0, 0, Decimal(0)])
        total[0] += 1
        total[1] += ln.units
        total[2] += ln.amount
    return _summary_of_totals(
        [
            (insurer_id, code, kind, count, units, amount)
            for (insurer_id, code, kind), (count, units, amount) in totals.items()
        ]
    )


def _store_lines(run: BillingRun, built: BuiltLines) -> None:
    """Write the lines in the current transaction (the build's final one)."""
    built.store(run)


# --- finalising and re-exporting --------------------------------------------------------------


def billing_run_finalise(*, run: BillingRun, actor: User) -> BillingRun:
    """Close the period: every covered visit gets `billed_at` and becomes read-only.

    Refused unless the run is a draft without pre-flight errors. The run row is locked, so two
    clicks cannot both finalise, and everything happens in one transaction.
    """
    with transaction.atomic():
        run = (
            BillingRun.objects.select_for_update(of=("self",))
            .select_related("finalised_by")
            .get(pk=run.pk)
        )
        if run.status == RunStatus.FINALISED:
            raise ValidationError(
                RUN_ALREADY_FINALISED.format(
                    date=formats.date_format(timezone.localtime(run.finalised_at).date()),
                    who=run.finalised_by,
                ),
                code="already_finalised",
            )
        if run.status != RunStatus.DRAFT:
            raise ValidationError(
                RUN_NOT_DRAFT.format(status=run.get_status_display().lower()), code="not_draft"
            )
        problems = _preflight(run)
        if not any(p.blocking for p in problems):
            unsendable = declaration_final_problems(run)
            if unsendable:
                raise ValidationError(
                    FILE_NOT_SENDABLE.format(problems="; ".join(unsendable[:5])),
                    code="declaration_invalid",
                )
            now = timezone.now()
            batch: list[int] = []
            for visit_ids in run.lines.values_list("visit_ids", flat=True).iterator(
                chunk_size=2000
            ):
                batch.extend(visit_ids)
                if len(batch) >= 10_000:
                    Visit.objects.filter(pk__in=batch, billed_at__isnull=True).update(billed_at=now)
                    batch = []
            if batch:
                Visit.objects.filter(pk__in=batch, billed_at__isnull=True).update(billed_at=now)
            run.status, run.finalised_by, run.finalised_at = RunStatus.FINALISED, actor, now
            rejections_mark_redeclared(run)  # rejected records this run declared again
            _keep_preflight(run, problems, save=False)
            run.save(
                update_fields=[
                    "status",
                    "finalised_by",
                    "finalised_at",
                    "preflight",
                    "preflight_at",
                    "updated_at",
                ]
            )
            return run
    # Refused: nothing changed, but the page now lists what blocks finalising.
    _keep_preflight(run, problems)
    errors = [p for p in problems if p.blocking]
    raise ValidationError(FINALISE_BLOCKED.format(count=len(errors)), code="preflight")


def _preflight(run: BillingRun) -> list:
    # Kept on the run and read by every back-office worker, whether a worker or a request ran
    # it: in the organisation's language (LANGUAGE_CODE), like the invoice.
    with translation.override(settings.LANGUAGE_CODE):
        return billing_run_preflight(run=run)


def _keep_preflight(run: BillingRun, problems: list, *, save: bool = True) -> None:
    run.preflight = [dataclasses.asdict(p) for p in problems]
    run.preflight_at = timezone.now()
    if save:
        BillingRun.objects.filter(pk=run.pk).update(
            preflight=run.preflight, preflight_at=run.preflight_at
        )


def billing_run_check(*, billing_run_id: int) -> BillingRun | None:
    """Run the pre-flight check again and keep its result on the run (the worker's part)."""
    run = BillingRun.objects.filter(
        pk=billing_run_id, status__in=(RunStatus.DRAFT, RunStatus.FINALISED)
    ).first()
    if run is None:
        return None
    # A month of visits: on the replica when there is one, once it has replayed every fix
    # committed before the check was asked for (finalising checks again on the primary).
    with replica_reads(caught_up=True):
        problems = _preflight(run)
    _keep_preflight(run, problems)
    return run


def billing_run_check_request(*, run: BillingRun) -> None:
    """Queue a fresh pre-flight check (after the back office fixed something)."""
    from scheduling.billing.tasks import billing_run_check_task  # cycle: tasks import services

    if run.status not in (RunStatus.DRAFT, RunStatus.FINALISED):
        raise ValidationError(RUN_NOT_CHECKABLE, code="not_checkable")
    BillingRun.objects.filter(pk=run.pk).update(preflight_at=None)
    run.preflight_at = None
    transaction.on_commit(lambda: billing_run_check_task.delay(run.pk))


def billing_run_reexport(*, run: BillingRun) -> list[RenderedFile]:
    """Render the run's files again from its stored lines (for checking or a lost file).

    For a finalised run the bytes equal the stored files: everything in them comes from the
    stored lines, the run's period and the fixed invoice date.
    """
    lines = list(
        run.lines.order_by("insurer_id", "line_number").values_list(*LINE_FIELDS, named=True)
    )
    return [f for invoice in invoices_from_lines(run, lines) for f in render_invoice_files(invoice)]
