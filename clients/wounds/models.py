"""Wound care (issue 17, item 3): a wound, its assessments over time, and their photos.

A wound is closed once (date and reason); its assessments are never changed, a new one is
added. Photos are files under settings.PRIVATE_MEDIA_ROOT (never under MEDIA_ROOT or a static
route): only `clients.wounds.views.photo_file` serves them, after the gate and the access row.
"""

import datetime as dt

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from buurtzorg.models import PublicModel
from clients.models import Client

FUTURE_MARGIN = dt.timedelta(minutes=5)
# Plausible sizes in mm (a wound is at most 50 cm long or wide, 10 cm deep).
MAX_LENGTH_MM = 500
MAX_DEPTH_MM = 100


def private_storage() -> Storage:
    """The storage of wound photos: the private root, with no URL (nothing serves it directly)."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


class WoundKind(models.TextChoices):
    PRESSURE_ULCER = "pressure", _("Pressure ulcer")
    DIABETIC_FOOT = "diabetic-foot", _("Diabetic foot ulcer")
    VENOUS_LEG = "venous-leg", _("Venous leg ulcer")
    ARTERIAL = "arterial", _("Arterial ulcer")
    SURGICAL = "surgical", _("Surgical wound")
    SKIN_TEAR = "skin-tear", _("Skin tear or trauma")
    BURN = "burn", _("Burn")
    OTHER = "other", _("Other")


class Tissue(models.TextChoices):
    EPITHELIAL = "epithelial", _("Epithelial (pink)")
    GRANULATION = "granulation", _("Granulation (red)")
    SLOUGH = "slough", _("Slough (yellow)")
    NECROTIC = "necrotic", _("Necrotic (black)")


class Exudate(models.TextChoices):
    NONE = "none", _("None")
    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    HIGH = "high", _("High")


class Edges(models.TextChoices):
    ATTACHED = "attached", _("Attached")
    NOT_ATTACHED = "not-attached", _("Not attached")
    ROLLED = "rolled", _("Rolled (epibole)")
    MACERATED = "macerated", _("Macerated")


class WoundQuerySet(models.QuerySet):
    def open(self) -> "WoundQuerySet":
        return self.filter(closed_on__isnull=True)


class Wound(PublicModel):
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="wounds")
    body_site = models.CharField(_("place on the body"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=WoundKind.choices)
    cause = models.CharField(_("cause"), max_length=200, blank=True)
    started_on = models.DateField(_("started on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.CharField(_("reason for closing"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = WoundQuerySet.as_manager()

    class Meta:
        ordering = ["client", "-started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("started_on")),
                name="wound_closed_after_start",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True, close_reason="")
                | (Q(closed_on__isnull=False) & ~Q(close_reason="")),
                name="wound_closed_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.body_site}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class WoundAssessment(PublicModel):
    wound = models.ForeignKey(Wound, on_delete=models.PROTECT, related_name="assessments")
    assessed_at = models.DateTimeField(_("assessed at"))
    length_mm = models.DecimalField(_("length (mm)"), max_digits=4, decimal_places=1)
    width_mm = models.DecimalField(_("width (mm)"), max_digits=4, decimal_places=1)
    depth_mm = models.DecimalField(_("depth (mm)"), max_digits=4, decimal_places=1)
    tissue = models.CharField(_("tissue"), max_length=20, choices=Tissue.choices)
    exudate = models.CharField(_("exudate"), max_length=20, choices=Exudate.choices)
    edges = models.CharField(_("edges"), max_length=20, choices=Edges.choices)
    pain = models.PositiveSmallIntegerField(_("pain (0-10)"))
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["wound", "assessed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(length_mm__gt=0, length_mm__lte=MAX_LENGTH_MM)
                & Q(width_mm__gt=0, width_mm__lte=MAX_LENGTH_MM)
                & Q(depth_mm__gte=0, depth_mm__lte=MAX_DEPTH_MM),
                name="woundassessment_size_plausible",
            ),
            models.CheckConstraint(
                condition=Q(pain__gte=0, pain__lte=10), name="woundassessment_pain_0_10"
            ),
            models.CheckConstraint(
                condition=Q(assessed_at__lte=F("created_at") + FUTURE_MARGIN),
                name="woundassessment_not_in_future",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wound}: {self.length_mm}×{self.width_mm}×{self.depth_mm} mm"

    @property
    def area_mm2(self) -> float:
        return float(self.length_mm * self.width_mm)


class WoundPhoto(PublicModel):
    """A photo of an assessment: re-encoded without metadata (buurtzorg.images), private."""

    assessment = models.ForeignKey(WoundAssessment, on_delete=models.PROTECT, related_name="photos")
    file = models.FileField(storage=private_storage, upload_to="wounds/%Y/%m/", max_length=200)
    thumbnail = models.FileField(storage=private_storage, upload_to="wounds/%Y/%m/", max_length=200)
    content_type = models.CharField(max_length=20)
    extension = models.CharField(max_length=5)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["assessment", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(extension__in=["jpg", "png", "webp"]), name="woundphoto_known_format"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} photo {self.public_id}"
