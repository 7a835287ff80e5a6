"""Insurer billing: contracts, tariffs, billing runs, invoice lines and the files of a run.

Rules the database holds whatever path writes: one contract per insurer and year, tariffs of
one service in a contract that never overlap in time (an exclusion constraint, migration 0010)
and an hourly rate above zero, one billing run per month and insurer
(and one for "all insurers"), one line per client, service, DATE of care, kind and rate in a
run (the declaration's service record is per day of care), debit lines positive and credit
lines negative.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from buurtzorg.models import PublicModel, TimeStampedModel
from clients.models import Client, Insurer
from scheduling.models import CareService

TARIFF_NOT_POSITIVE = _("The hourly tariff must be more than 0.")
TARIFF_ENDS_BEFORE_START = _("The end date cannot be before the start date.")
# Billing periods and contract years: anything outside is a typo ("0353-01" for "2025-03").
PERIOD_FIRST_YEAR, PERIOD_LAST_YEAR = 2000, 2100
PERIOD_OUT_OF_RANGE = _("Choose a month between {first} and {last}.")


def period_out_of_range() -> str:
    return str(PERIOD_OUT_OF_RANGE).format(
        first=f"{PERIOD_FIRST_YEAR}-01", last=f"{PERIOD_LAST_YEAR}-12"
    )


class Contract(PublicModel):
    """The agreement with one insurer for one calendar year; its tariffs price the services."""

    insurer = models.ForeignKey(Insurer, on_delete=models.PROTECT, related_name="contracts")
    year = models.PositiveSmallIntegerField(_("year"))
    reference = models.CharField(_("contract reference"), max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Empty for contracts added before this was recorded"),
    )

    class Meta:
        ordering = ["-year", "insurer__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["insurer", "year"],
                name="contract_one_per_insurer_year",
                violation_error_message=_("This insurer already has a contract for that year."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="contract_year_plausible"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.insurer.name} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("billing:contract-detail", args=[self.public_id])


class Tariff(PublicModel):
    """The hourly rate of one service in one contract from `valid_from` up to and including
    `valid_until` (empty: until further notice). Insurers change rates per year and during
    one: a new rate is a new row and the previous one ends the day before
    (`services.tariff_set`), so the rate a visit was priced at stays on record. A visit is
    priced at the tariff valid on its date of service. `set_by` set the rate: a rate is money,
    so who set it is kept with it.

    No two tariffs of one service in one contract overlap: PostgreSQL holds that with an
    exclusion constraint (`tariff_no_overlap`, migration 0010; btree_gist), `tariff_set`
    checks it first under the contract lock and gives the field message.
    """

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="tariffs")
    service = models.ForeignKey(CareService, on_delete=models.PROTECT, related_name="tariffs")
    hourly_rate = models.DecimalField(_("hourly tariff (EUR)"), max_digits=8, decimal_places=2)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Empty: until further notice")
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Who set the rate; empty for rates set before this was recorded"),
    )

    class Meta:
        ordering = ["contract", "service__code", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hourly_rate__gt=0),
                name="tariff_hourly_rate_positive",
                violation_error_message=TARIFF_NOT_POSITIVE,
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="tariff_until_after_from",
                violation_error_message=TARIFF_ENDS_BEFORE_START,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service.code} {self.hourly_rate}/h"


class RunStatus(models.TextChoices):
    PENDING = "pending", _("Queued")
    RUNNING = "running", _("Running")
    DRAFT = "draft", _("Draft (ready to check)")
    FINALISED = "finalised", _("Finalised")
    FAILED = "failed", _("Failed")


class RunStage(models.TextChoices):
    QUEUED = "queued", _("waiting for a worker")
    AGGREGATING = "aggregating", _("adding up the month's minutes")
    PRICING = "pricing", _("pricing lines")
    FILES = "files", _("writing files")
    SAVING = "saving", _("saving lines")
    DONE = "done", _("done")


class BillingRun(PublicModel):
    """One month's billing, for one insurer or for all of them. A Celery task fills it in."""

    period = models.DateField(_("month"), help_text=_("First day of the billed month"))
    insurer = models.ForeignKey(
        Insurer,
        on_delete=models.PROTECT,
        related_name="billing_runs",
        null=True,
        blank=True,
        help_text=_("Empty: all insurers"),
    )
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.PENDING)
    stage = models.CharField(max_length=12, choices=RunStage.choices, default=RunStage.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Empty when started by the monthly schedule"),
    )
    requested_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    finalised_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Progress and result counts, shown while the run works and after.
    groups_total = models.PositiveIntegerField(default=0)
    files_total = models.PositiveIntegerField(default=0)
    files_done = models.PositiveIntegerField(default=0)
    visit_count = models.PositiveIntegerField(default=0)
    client_count = models.PositiveIntegerField(default=0)
    line_count = models.PositiveIntegerField(default=0)
    credit_line_count = models.PositiveIntegerField(default=0)
    unpriced_count = models.PositiveIntegerField(
        default=0, help_text=_("Client/service groups left out for want of a tariff")
    )
    total_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    error = models.TextField(blank=True)
    # The pre-flight list as last checked (selectors.billing_run_preflight, as dicts of its
    # Problem). At national scale the check reads the whole month (tens of seconds), so it
    # runs in the worker: when the draft is made, when asked again ("check again"), and
    # afresh inside every finalise. Pages show this copy and when it was made; None while a
    # check is queued.
    preflight = models.JSONField(default=list, blank=True)
    preflight_at = models.DateTimeField(null=True, blank=True)
    # Totals per insurer, service and kind, made with the lines (which never change after):
    # the run page shows them without grouping 160,000 lines on every view.
    summary = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-period", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "insurer"],
                condition=Q(insurer__isnull=False),
                name="billingrun_one_per_insurer_month",
                violation_error_message=_("There is already a billing run for that insurer."),
            ),
            models.UniqueConstraint(
                fields=["period"],
                condition=Q(insurer__isnull=True),
                name="billingrun_one_all_insurers_month",
                violation_error_message=_("There is already a billing run for that month."),
            ),
            models.CheckConstraint(condition=Q(period__day=1), name="billingrun_period_is_month"),
            models.CheckConstraint(
                condition=Q(
                    period__year__gte=PERIOD_FIRST_YEAR, period__year__lte=PERIOD_LAST_YEAR
                ),
                name="billingrun_period_plausible",
            ),
            models.CheckConstraint(
                condition=Q(status__in=RunStatus.values), name="billingrun_status_known"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=RunStatus.FINALISED)
                    & Q(finalised_at__isnull=False)
                    & Q(finalised_by__isnull=False)
                )
                | (~Q(status=RunStatus.FINALISED) & Q(finalised_at__isnull=True)),
                name="billingrun_finalised_with_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        who = self.insurer.name if self.insurer is not None else _("all insurers")
        return f"{self.period:%Y-%m} {who}"

    def get_absolute_url(self) -> str:
        return reverse("billing:run-detail", args=[self.public_id])

    @property
    def is_working(self) -> bool:
        return self.status in (RunStatus.PENDING, RunStatus.RUNNING)

    @property
    def has_totals(self) -> bool:
        """Counts and totals mean something only once the run has built its draft: while it
        works (or after it failed) they are partial or zero, never shown as if final."""
        return self.status in (RunStatus.DRAFT, RunStatus.FINALISED)

    @property
    def progress_percent(self) -> int:
        steps: dict[str, int] = {
            RunStage.QUEUED: 0,
            RunStage.AGGREGATING: 10,
            RunStage.PRICING: 40,
            RunStage.FILES: 50,
            RunStage.SAVING: 90,
            RunStage.DONE: 100,
        }
        base = steps.get(self.stage, 0)
        if self.stage == RunStage.FILES and self.files_total:
            base += 40 * self.files_done // self.files_total
        return base


class LineKind(models.TextChoices):
    DEBIT = "debit", _("debit")
    CREDIT = "credit", _("credit")


class InvoiceLine(TimeStampedModel):
    """One client, one service, one DATE of care at one hourly rate, debit or credit, in one
    run.

    BSN, policy number, name and service code are copied at billing time: the file sent must
    be reproducible even if the client record changes later. `visit_ids` are the visits the
    line covers; they get `billed_at` when the run is finalised.
    """

    # Few indexes on purpose: a national month writes ~300,000 lines in one COPY. The unique
    # (run, insurer, line_number) serves lookups by run, and (client, period, service) by client.
    run = models.ForeignKey(
        BillingRun, on_delete=models.CASCADE, related_name="lines", db_index=False
    )
    insurer = models.ForeignKey(Insurer, on_delete=models.PROTECT, related_name="+", db_index=False)
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="invoice_lines", db_index=False
    )
    line_number = models.PositiveIntegerField()
    bsn = models.CharField(max_length=9)
    policy_number = models.CharField(max_length=30)
    client_name = models.CharField(max_length=60, help_text=_("Surname and initials"))
    date_of_birth = models.DateField(null=True)
    service = models.ForeignKey(
        CareService, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    service_code = models.CharField(max_length=20)
    period = models.DateField(help_text=_("First day of the month the care was given in"))
    # The day of care: one line (one 04 service record) per client, service and day. Empty on
    # a month line made before lines were per day (migration 0011): those stay month records,
    # so a finalised run re-exports byte for byte; a credit of one is a month line too.
    service_date = models.DateField(
        null=True,
        blank=True,
        help_text=_("Date of care; empty on a month line made before lines were per day"),
    )
    kind = models.CharField(max_length=6, choices=LineKind.choices, default=LineKind.DEBIT)
    minutes = models.IntegerField()
    units = models.IntegerField(help_text=_("5-minute units; negative on a credit line"))
    hourly_rate = models.DecimalField(max_digits=8, decimal_places=2)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    visit_ids = models.JSONField(default=list)

    class Meta:
        ordering = ["run", "insurer", "line_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "insurer", "line_number"], name="invoiceline_number_unique"
            ),
            # One line per day of care (and rate: a day has one, the tariff valid on it).
            models.UniqueConstraint(
                fields=[
                    "run",
                    "client",
                    "service",
                    "period",
                    "service_date",
                    "kind",
                    "hourly_rate",
                ],
                name="invoiceline_no_duplicate",
                # a month line (no date) is unique too
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=Q(kind__in=LineKind.values), name="invoiceline_kind_known"
            ),
            models.CheckConstraint(
                condition=(Q(kind=LineKind.DEBIT) & Q(units__gte=0) & Q(amount__gte=0))
                | (Q(kind=LineKind.CREDIT) & Q(units__lte=0) & Q(amount__lte=0)),
                name="invoiceline_sign_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(hourly_rate__gt=0), name="invoiceline_rate_positive"
            ),
            models.CheckConstraint(condition=Q(period__day=1), name="invoiceline_period_is_month"),
            models.CheckConstraint(
                condition=Q(service_date__isnull=True)
                | Q(service_date__year=F("period__year"), service_date__month=F("period__month")),
                name="invoiceline_date_in_period",
            ),
        ]
        indexes = [
            models.Index(fields=["client", "period", "service"], name="invoiceline_client_period"),
        ]

    def __str__(self) -> str:
        return f"{self.line_number} {self.kind} {self.amount}"


CREDIT_NOTE_PREFIX = "CR"
CREDIT_NOTE_MAX_SEQUENCE = 9999  # CR-2026-9999: 12 characters, RunFile.invoice_number's size


class CreditNote(TimeStampedModel):
    """The number of the credit note a run gives an insurer whose balance is negative.

    Credit notes have their own gapless series per year (CR-2026-0001), apart from the
    invoices. A number belongs to one run and insurer: rebuilding a draft keeps it, and a
    rebuild whose balance is no longer negative gives it back (the row is deleted with the
    draft's other results; numbers are final only when the run is).
    """

    run = models.ForeignKey(BillingRun, on_delete=models.CASCADE, related_name="credit_notes")
    insurer = models.ForeignKey(Insurer, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveSmallIntegerField()
    number = models.CharField(max_length=12, unique=True)

    class Meta:
        ordering = ["year", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["run", "insurer"], name="creditnote_one_per_insurer"),
            models.UniqueConstraint(fields=["year", "sequence"], name="creditnote_series_unique"),
            models.CheckConstraint(
                condition=Q(sequence__gte=1, sequence__lte=CREDIT_NOTE_MAX_SEQUENCE),
                name="creditnote_sequence_range",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @staticmethod
    def format_number(year: int, sequence: int) -> str:
        return f"{CREDIT_NOTE_PREFIX}-{year:04d}-{sequence:04d}"


class FileKind(models.TextChoices):
    CSV = "csv", _("CSV")
    PDF = "pdf", _("PDF invoice")
    DECLARATION = "declaration", _("Declaration file")


def run_file_path(instance: "RunFile", filename: str) -> str:
    return f"billing/{instance.run.public_id}/{filename}"


class RunFile(PublicModel):
    """A file produced by a run. Rows appear only when the whole run commits."""

    run = models.ForeignKey(BillingRun, on_delete=models.CASCADE, related_name="files")
    insurer = models.ForeignKey(Insurer, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=FileKind.choices)
    file = models.FileField(upload_to=run_file_path, max_length=300)
    filename = models.CharField(max_length=120)
    content_type = models.CharField(max_length=80)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    invoice_number = models.CharField(max_length=12)
    total_amount = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["run", "insurer__name", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["run", "insurer", "kind"], name="runfile_one_per_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=FileKind.values), name="runfile_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("billing:file-download", args=[self.public_id])


# --- return messages (Vektis AW320) ------------------------------------------------------------


def return_file_path(instance: "ReturnFile", filename: str) -> str:
    return f"billing/{instance.run.public_id}/returns/{filename}"


class ReturnFile(PublicModel):
    """An insurer's return message (AW320) for a finalised run, as uploaded by back office.

    Stored once per run and content (sha256): uploading the same file twice changes nothing.
    """

    run = models.ForeignKey(BillingRun, on_delete=models.CASCADE, related_name="return_files")
    insurer = models.ForeignKey(Insurer, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=return_file_path, max_length=300)
    filename = models.CharField(max_length=120)
    sha256 = models.CharField(max_length=64)
    record_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["run", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["run", "sha256"], name="returnfile_once_per_run"),
        ]

    def __str__(self) -> str:
        return self.filename


class RejectionStatus(models.TextChoices):
    OPEN = "open", _("Rejected: to fix")
    READY = "ready", _("Fixed: declare again in the next run")
    REDECLARED = "redeclared", _("Declared again")


class Rejection(PublicModel):
    """A service record the insurer rejected, with its return codes, until declared again.

    `line` is the rejected debit (of a finalised run). READY rejections are declared again by
    the insurer's next run (a new debit with the client's corrected data, citing the rejected
    record's reference); finalising that run makes them REDECLARED, naming the run.
    """

    return_file = models.ForeignKey(ReturnFile, on_delete=models.CASCADE, related_name="rejections")
    line = models.ForeignKey(InvoiceLine, on_delete=models.PROTECT, related_name="rejections")
    record_number = models.PositiveIntegerField(help_text=_("Position of the record in the file"))
    reference = models.CharField(max_length=20)
    codes = models.JSONField(default=list, help_text=_("The insurer's return codes (COD954)"))
    status = models.CharField(
        max_length=10, choices=RejectionStatus.choices, default=RejectionStatus.OPEN
    )
    ready_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    ready_at = models.DateTimeField(null=True, blank=True)
    redeclared_in = models.ForeignKey(
        BillingRun, on_delete=models.PROTECT, related_name="redeclarations", null=True, blank=True
    )

    class Meta:
        ordering = ["return_file", "record_number"]
        constraints = [
            models.UniqueConstraint(fields=["return_file", "line"], name="rejection_once_per_file"),
            models.CheckConstraint(
                condition=Q(status__in=RejectionStatus.values), name="rejection_status_known"
            ),
            models.CheckConstraint(
                condition=(Q(status=RejectionStatus.OPEN) & Q(ready_at__isnull=True))
                | (~Q(status=RejectionStatus.OPEN) & Q(ready_at__isnull=False)),
                name="rejection_ready_with_when",
            ),
            models.CheckConstraint(
                condition=Q(status=RejectionStatus.REDECLARED, redeclared_in__isnull=False)
                | (~Q(status=RejectionStatus.REDECLARED) & Q(redeclared_in__isnull=True)),
                name="rejection_redeclared_names_run",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {','.join(self.codes)}"
