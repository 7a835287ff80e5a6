"""An incident report a nurse files, the actions her team records on it, and its closing.

The author is always stored (the audit needs to know who filed it); `show_author` only says
whether the app shows her name to the team, and the app never shows it to anyone otherwise.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from buurtzorg.models import PublicModel
from teams.models import Team, User

DESCRIPTION_MAX = 4000


class IncidentKind(models.TextChoices):
    FALL = "fall", _("Fall")
    MEDICATION = "medication", _("Medication incident")
    AGGRESSION = "aggression", _("Aggression")
    SAFEGUARDING = "safeguarding", _("Safeguarding concern")
    COMPLAINT = "complaint", _("Complaint")
    OTHER = "other", _("Other")


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Incident(PublicModel):
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="incidents")
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        related_name="incidents",
        null=True,
        blank=True,
    )
    reported_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    show_author = models.BooleanField(_("show my name to the team"), default=True)
    kind = models.CharField(_("kind"), max_length=20, choices=IncidentKind.choices)
    occurred_on = models.DateField(_("date of the incident"))
    description = models.TextField(_("what happened"), max_length=DESCRIPTION_MAX)
    status = models.CharField(
        _("status"), max_length=10, choices=IncidentStatus.choices, default=IncidentStatus.OPEN
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["team", "occurred_on"], name="incident_team_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=IncidentKind.values), name="incident_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(description=""), name="incident_description_not_empty"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=IncidentStatus.OPEN, closed_at__isnull=True, closed_by__isnull=True)
                    | Q(
                        status=IncidentStatus.CLOSED,
                        closed_at__isnull=False,
                        closed_by__isnull=False,
                    )
                ),
                name="incident_closed_has_when_and_who",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"

    def get_absolute_url(self) -> str:
        return reverse("incidents:detail", args=[self.public_id])


class IncidentAction(PublicModel):
    """Something the team did or decided about an incident; rows are only added."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="actions")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("action"), max_length=2000)

    class Meta:
        ordering = ["incident", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="incidentaction_text_not_empty")
        ]

    def __str__(self) -> str:
        return self.text[:40]
