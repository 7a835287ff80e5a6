"""Intake requests: a registration whose BSN is already in care, sent to back office.

Telling the nurse "this BSN is already registered" would tell any nurse who receives care
elsewhere (issue 20, item 10). Instead the registration becomes a request that back office
checks (a move between teams, a typo, a double registration); the nurse only hears that it was
sent for checking. The request keeps what she typed, her team, and the team the BSN is in care
with, which only back office sees.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from buurtzorg.models import PublicModel
from teams.models import Team


class IntakeStatus(models.TextChoices):
    OPEN = "open", _("Awaiting check")
    RESOLVED = "resolved", _("Resolved")


class IntakeRequest(PublicModel):
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("registering team")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    bsn = models.CharField(_("BSN"), max_length=9)
    # What the nurse typed (names, date of birth, address, insurer, policy number, dates), as
    # text: the request is about a person, not yet a client record.
    details = models.JSONField(default=dict)
    in_care_with = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("in care with"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=IntakeStatus.choices, default=IntakeStatus.OPEN
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(_("what was done"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=IntakeStatus.values), name="intakerequest_status_known"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=IntakeStatus.RESOLVED)
                    & Q(resolved_by__isnull=False)
                    & Q(resolved_at__isnull=False)
                )
                | (
                    Q(status=IntakeStatus.OPEN)
                    & Q(resolved_by__isnull=True)
                    & Q(resolved_at__isnull=True)
                ),
                name="intakerequest_resolved_with_who_and_when",
            ),
            models.CheckConstraint(
                condition=Q(bsn__regex=r"^[0-9]{9}$"), name="intakerequest_bsn_9_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.created_at:%Y-%m-%d}"


def intake_requests_about(
    *, bsn: str | None, public_id: object
) -> "models.QuerySet[IntakeRequest]":
    """The requests that concern one client, for its GDPR export and erasure: registrations
    made with its BSN, and requests to give it (client `public_id`) a BSN in care elsewhere."""
    about = Q(details__client=str(public_id))
    if bsn:
        about |= Q(bsn=bsn)
    return IntakeRequest.objects.filter(about)
