"""A client's medication list and its administration record (toedienregistratie).

A `Medication` is a prescription as the team works with it: what, how much, how it is given
and when (times of day on some or every weekday, or "as needed" with a maximum per day). The
doses due are not stored: `scheduling.medication.schedule` derives them from the schedule for
the visits that cover them. A `DoseSignoff` records what happened to one due dose. It is never
changed: a correction is a new row pointing at the one it corrects (`corrects`), and the
database holds one *current* sign-off per due dose (the first row of a dose, unique per
(medication, due_at), and at most one correction of each row, so a dose's rows form a line
whose last row is current). On PostgreSQL a trigger refuses UPDATE and DELETE of sign-offs
(GDPR erasure excepted) and copies the medication's high-risk flag into the row, so the
second-signer rule is a check constraint.

Times of day are a JSON list of "HH:MM" strings (not an ArrayField) so the embedded SQLite
mode migrates too; PostgreSQL checks their shape in a constraint (migration 0001).
"""

import datetime as dt
import re
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtzorg.models import PublicModel
from scheduling.models import EVERY_DAY, WEEKDAY_NAMES, Visit
from teams.models import User

ATC_SYSTEM = "http://www.whocc.no/atc"
# An ATC code at any level: A, A10, A10A, A10AB, A10AB01.
ATC_CODE = r"^[A-Z]([0-9]{2}([A-Z]([A-Z]([0-9]{2})?)?)?)?$"
TIME_OF_DAY = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"

DOSE_WITHOUT_UNIT = _("A dose needs its unit (mg, ml, units, tablets, ...).")
UNIT_WITHOUT_DOSE = _("A unit needs its dose.")
SCHEDULE_WITHOUT_TIMES = _("Give at least one time of day, or mark the medicine as needed.")
AS_NEEDED_WITH_TIMES = _("A medicine given as needed has no times of day.")
AS_NEEDED_WITHOUT_MAX = _("Give the maximum number of doses a day.")
MAX_ONLY_AS_NEEDED = _("A maximum per day is only for medicine given as needed.")
END_BEFORE_START = _("The end date cannot be before the start date.")
TIMES_MALFORMED = _("Write times of day as 08:00, separated by commas.")


class DoseForm(models.TextChoices):
    TABLET = "tablet", _("Tablet")
    CAPSULE = "capsule", _("Capsule")
    LIQUID = "liquid", _("Liquid")
    INJECTION = "injection", _("Injection")
    PATCH = "patch", _("Patch")
    INHALER = "inhaler", _("Inhaler")
    DROPS = "drops", _("Drops")
    OINTMENT = "ointment", _("Cream or ointment")
    SUPPOSITORY = "suppository", _("Suppository")
    OTHER = "other", _("Other")


class Route(models.TextChoices):
    ORAL = "oral", _("Oral")
    SUBCUTANEOUS = "subcutaneous", _("Subcutaneous")
    INTRAMUSCULAR = "intramuscular", _("Intramuscular")
    TRANSDERMAL = "transdermal", _("Transdermal")
    INHALED = "inhaled", _("Inhaled")
    TOPICAL = "topical", _("On the skin")
    EYE = "eye", _("In the eye")
    EAR = "ear", _("In the ear")
    NASAL = "nasal", _("Nasal")
    RECTAL = "rectal", _("Rectal")
    OTHER = "other", _("Other")


class MedicationQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None) -> "MedicationQuerySet":
        """Medication the client takes on `on` (today): started, not ended, not stopped."""
        day = on or timezone.localdate()
        return self.filter(starts_on__lte=day, stopped_at__isnull=True).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=day)
        )


class Medication(PublicModel):
    """One medicine on a client's list, with its dose and schedule."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="medications"
    )
    name = models.CharField(_("medicine"), max_length=200)
    code = models.CharField(
        _("ATC code"),
        max_length=7,
        blank=True,
        validators=[RegexValidator(ATC_CODE, _("An ATC code looks like A10AB01."))],
        help_text=_("Optional: the ATC code, e.g. A10AB01."),
    )
    strength = models.CharField(_("strength"), max_length=60, blank=True)
    form = models.CharField(_("form"), max_length=20, choices=DoseForm.choices)
    dose_amount = models.DecimalField(
        _("dose"),
        max_digits=8,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    dose_unit = models.CharField(_("dose unit"), max_length=20, blank=True)
    route = models.CharField(_("route"), max_length=20, choices=Route.choices)
    as_needed = models.BooleanField(_("as needed"), default=False)
    times_of_day = models.JSONField(_("times of day"), default=list, blank=True)
    weekdays = models.PositiveSmallIntegerField(_("weekdays"), default=EVERY_DAY)
    max_per_day = models.PositiveSmallIntegerField(_("maximum per day"), null=True, blank=True)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"), null=True, blank=True)
    prescriber = models.CharField(_("prescriber"), max_length=200, blank=True)
    instructions = models.TextField(_("instructions"), blank=True)
    high_risk = models.BooleanField(
        _("high risk"),
        default=False,
        help_text=_("Insulin, opioids, anticoagulants and the like: a second nurse signs too."),
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    stopped_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    stop_reason = models.CharField(_("reason for stopping"), max_length=300, blank=True)

    objects = MedicationQuerySet.as_manager()

    class Meta:
        ordering = ["client", "name", "id"]
        indexes = [models.Index(fields=["client", "starts_on"], name="medication_client_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(dose_amount__isnull=True, dose_unit="")
                | Q(dose_amount__isnull=False, dose_amount__gt=0) & ~Q(dose_unit=""),
                name="medication_dose_with_unit",
                violation_error_message=_("A dose needs its unit (and a unit its dose)."),
            ),
            models.CheckConstraint(
                condition=Q(as_needed=True, max_per_day__gte=1, times_of_day=[])
                | Q(as_needed=False, max_per_day__isnull=True) & ~Q(times_of_day=[]),
                name="medication_schedule_or_as_needed",
                violation_error_message=_(
                    "Give the times of day, or mark it as needed with a maximum per day."
                ),
            ),
            models.CheckConstraint(
                condition=Q(weekdays__gte=1, weekdays__lte=EVERY_DAY),
                name="medication_weekdays_valid",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="medication_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(form__in=DoseForm.values), name="medication_form_known"
            ),
            models.CheckConstraint(
                condition=Q(route__in=Route.values), name="medication_route_known"
            ),
            models.CheckConstraint(
                condition=Q(stopped_at__isnull=True) | Q(stopped_by__isnull=False),
                name="medication_stop_has_author",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.strength}".strip()

    def clean(self) -> None:
        """The constraints' rules as messages at their fields (full_clean then skips the
        constraint on a field that already has its error)."""
        errors: dict[str, Any] = {}
        if self.dose_amount is not None and not self.dose_unit:
            errors["dose_unit"] = DOSE_WITHOUT_UNIT
        if self.dose_amount is None and self.dose_unit:
            errors["dose_amount"] = UNIT_WITHOUT_DOSE
        times = self.times_of_day if isinstance(self.times_of_day, list) else None
        if times is None or any(
            not isinstance(t, str) or not re.fullmatch(TIME_OF_DAY, t) for t in times
        ):
            errors["times_of_day"] = TIMES_MALFORMED
        elif self.as_needed and times:
            errors["times_of_day"] = AS_NEEDED_WITH_TIMES
        elif not self.as_needed and not times:
            errors["times_of_day"] = SCHEDULE_WITHOUT_TIMES
        if self.as_needed and not self.max_per_day:
            errors["max_per_day"] = AS_NEEDED_WITHOUT_MAX
        if not self.as_needed and self.max_per_day is not None:
            errors["max_per_day"] = MAX_ONLY_AS_NEEDED
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = END_BEFORE_START
        if errors:
            raise ValidationError(errors)

    @property
    def dose_text(self) -> str:
        if self.dose_amount is None:
            return ""
        amount = self.dose_amount.normalize()
        return f"{amount:f} {self.dose_unit}"

    @property
    def weekday_text(self) -> str:
        if self.weekdays == EVERY_DAY:
            return ""
        return "/".join(str(n) for i, n in enumerate(WEEKDAY_NAMES) if self.weekdays & (1 << i))

    @property
    def is_stopped(self) -> bool:
        return self.stopped_at is not None

    def is_current_on(self, day: dt.date) -> bool:
        """What `MedicationQuerySet.current` selects, for a row already read."""
        return (
            self.stopped_at is None
            and self.starts_on <= day
            and (self.ends_on is None or day <= self.ends_on)
        )

    def times(self) -> list[dt.time]:
        return [dt.time.fromisoformat(t) for t in self.times_of_day]

    def given_on(self, day: dt.date) -> bool:
        """Whether the schedule has doses on `day` (ignoring a stop: see `schedule`)."""
        return (
            bool(self.weekdays & (1 << day.weekday()))
            and self.starts_on <= day
            and (self.ends_on is None or day <= self.ends_on)
        )


class Outcome(models.TextChoices):
    GIVEN = "given", _("Given")
    REFUSED = "refused", _("Refused")
    NOT_GIVEN = "not_given", _("Not given")
    SELF_ADMINISTERED = "self", _("Taken by the client himself")


class DoseSignoff(models.Model):
    """What happened to one due dose. Never changed: a correction is a new row."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    medication = models.ForeignKey(Medication, on_delete=models.PROTECT, related_name="signoffs")
    due_at = models.DateTimeField(_("due at"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # Copied from the medication on insert (a trigger on PostgreSQL makes sure): the
    # second-signer rule is then a check constraint on this row.
    high_risk = models.BooleanField(default=False)
    signed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    second_signer = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    visit = models.ForeignKey(
        Visit, on_delete=models.PROTECT, related_name="dose_signoffs", null=True, blank=True
    )
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="corrections", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["medication", "due_at"], name="signoff_med_due_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["medication", "due_at"],
                condition=Q(corrects__isnull=True),
                name="signoff_one_per_dose",
                violation_error_message=_("This dose has already been signed off."),
            ),
            models.UniqueConstraint(
                fields=["corrects"],
                name="signoff_corrected_once",
                violation_error_message=_("This sign-off has already been corrected."),
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values), name="signoff_outcome_known"
            ),
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.NOT_GIVEN) | ~Q(reason=""),
                name="signoff_reason_when_not_given",
                violation_error_message=_("Say why the dose was not given."),
            ),
            models.CheckConstraint(
                condition=~Q(high_risk=True, outcome=Outcome.GIVEN)
                | Q(second_signer__isnull=False),
                name="signoff_second_signer_for_high_risk",
                violation_error_message=_("A high-risk dose needs a second nurse's sign-off."),
            ),
            models.CheckConstraint(
                condition=Q(second_signer__isnull=True) | ~Q(second_signer=F("signed_by")),
                name="signoff_second_signer_differs",
                violation_error_message=_("The second nurse must be someone else."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.medication} {timezone.localtime(self.due_at):%Y-%m-%d %H:%M} {self.outcome}"
