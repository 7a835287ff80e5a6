"""Vital signs and other measurements of a client (issue 17, item 4).

What a value may be is data (`KINDS`): each kind has its unit, its plausible range (a value
outside it is impossible, e.g. a pulse of 400 or 50 °C, and refused) and for blood pressure a
second value. The same ranges are CHECK constraints, built from the same table, so no path
around the service stores an impossible value. A per-client normal range (`NormalRange`) only
flags: a value outside it is stored with `out_of_range` set, and shows on the handover.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from buurtzorg.models import PublicModel
from clients.models import Client

# A measurement may be recorded at most this far ahead of the server clock (clock skew of a
# phone); the database allows the same.
FUTURE_MARGIN = dt.timedelta(minutes=5)


class Kind(models.TextChoices):
    BLOOD_PRESSURE = "bp", _("Blood pressure")
    PULSE = "pulse", _("Pulse")
    TEMPERATURE = "temperature", _("Temperature")
    SPO2 = "spo2", _("Oxygen saturation")
    RESPIRATION = "respiration", _("Respiration rate")
    WEIGHT = "weight", _("Weight")
    GLUCOSE = "glucose", _("Blood glucose")
    PAIN = "pain", _("Pain score")


@dataclass(frozen=True)
class KindSpec:
    """The unit, plausible range and FHIR/LOINC coding of one kind of measurement."""

    unit: str
    ucum: str
    low: Decimal
    high: Decimal
    loinc: str
    loinc_display: str
    decimals: int = 0
    # blood pressure: the diastolic value's range and code
    low2: Decimal | None = None
    high2: Decimal | None = None
    loinc2: str = ""
    loinc2_display: str = ""
    second_label: Promise | None = None

    @property
    def has_second(self) -> bool:
        return self.low2 is not None


D = Decimal
KINDS: dict[str, KindSpec] = {
    Kind.BLOOD_PRESSURE: KindSpec(
        "mmHg",
        "mm[Hg]",
        D(40),
        D(300),
        "8480-6",
        "Systolic blood pressure",
        low2=D(20),
        high2=D(200),
        loinc2="8462-4",
        loinc2_display="Diastolic blood pressure",
        second_label=_("diastolic"),
    ),
    Kind.PULSE: KindSpec("/min", "/min", D(20), D(250), "8867-4", "Heart rate"),
    Kind.TEMPERATURE: KindSpec("°C", "Cel", D(30), D(44), "8310-5", "Body temperature", 1),
    Kind.SPO2: KindSpec("%", "%", D(50), D(100), "59408-5", "Oxygen saturation by pulse oximetry"),
    Kind.RESPIRATION: KindSpec("/min", "/min", D(4), D(80), "9279-1", "Respiratory rate"),
    Kind.WEIGHT: KindSpec("kg", "kg", D("0.5"), D(400), "29463-7", "Body weight", 1),
    Kind.GLUCOSE: KindSpec(
        "mmol/L", "mmol/L", D("0.5"), D(50), "15074-8", "Glucose [Moles/volume] in Blood", 1
    ),
    Kind.PAIN: KindSpec("0-10", "{score}", D(0), D(10), "72514-3", "Pain severity 0-10"),
}


def _plausible() -> Q:
    """One CHECK for every kind: its value (and blood pressure's second value) in range."""
    rule = Q()
    for kind, spec in KINDS.items():
        if spec.has_second:
            second = Q(value2__gte=spec.low2, value2__lte=spec.high2, value2__lt=F("value"))
        else:
            second = Q(value2__isnull=True)
        rule |= Q(kind=kind, value__gte=spec.low, value__lte=spec.high) & second
    return rule


class MeasurementQuerySet(models.QuerySet):
    def for_client(self, client: Client) -> "MeasurementQuerySet":
        return self.filter(client=client).select_related("measured_by")


class Measurement(PublicModel):
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="measurements")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    value = models.DecimalField(_("value"), max_digits=5, decimal_places=1)
    value2 = models.DecimalField(
        _("second value"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    measured_at = models.DateTimeField(_("measured at"))
    measured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Set when the value is outside the client's normal range at the time it was recorded.
    out_of_range = models.BooleanField(_("outside the normal range"), default=False)

    objects = MeasurementQuerySet.as_manager()

    class Meta:
        ordering = ["client", "kind", "-measured_at"]
        indexes = [models.Index(fields=["client", "kind", "-measured_at"])]
        constraints = [
            models.CheckConstraint(condition=_plausible(), name="measurement_value_plausible"),
            models.CheckConstraint(
                condition=Q(measured_at__lte=F("created_at") + FUTURE_MARGIN),
                name="measurement_not_in_future",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.display_value} ({self.measured_at:%Y-%m-%d})"

    @property
    def spec(self) -> KindSpec:
        return KINDS[self.kind]

    @property
    def display_value(self) -> str:
        spec = self.spec

        def show(number: Decimal | None) -> str:
            return "" if number is None else f"{number:.{spec.decimals}f}"

        text = show(self.value) + (f"/{show(self.value2)}" if spec.has_second else "")
        return f"{text} {spec.unit}"


class NormalRange(PublicModel):
    """The client's own normal range for one kind (set by a nurse): values outside are flagged.
    For blood pressure, `low`/`high` bound the systolic and `low2`/`high2` the diastolic."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="normal_ranges")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    low = models.DecimalField(_("lowest normal"), max_digits=5, decimal_places=1)
    high = models.DecimalField(_("highest normal"), max_digits=5, decimal_places=1)
    low2 = models.DecimalField(
        _("lowest normal diastolic"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    high2 = models.DecimalField(
        _("highest normal diastolic"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["client", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["client", "kind"], name="normalrange_one_per_kind"),
            models.CheckConstraint(
                condition=Q(low__lt=F("high")), name="normalrange_low_below_high"
            ),
            models.CheckConstraint(
                condition=Q(low2__isnull=True, high2__isnull=True)
                | Q(low2__isnull=False, high2__isnull=False, low2__lt=F("high2")),
                name="normalrange_second_low_below_high",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.low}–{self.high}"

    def flags(self, value: Decimal, value2: Decimal | None) -> bool:
        """Whether a value (and a second value) lies outside this normal range."""
        if not self.low <= value <= self.high:
            return True
        if value2 is not None and self.low2 is not None and self.high2 is not None:
            return not self.low2 <= value2 <= self.high2
        return False
