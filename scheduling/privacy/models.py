"""The register of a client's privacy requests (GDPR articles 15-17, 20): what was asked,
when, by when it must be answered (one month, article 12(3)), and how it was handled."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from buurtzorg.models import PublicModel


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access (a copy of the record)")
    PORTABILITY = "portability", _("Portability (machine-readable copy)")
    ERASURE = "erasure", _("Erasure")
    RECTIFICATION = "rectification", _("Rectification")


class RequestOutcome(models.TextChoices):
    DONE = "done", _("Carried out")
    REFUSED_RETENTION = "refused_retention", _("Refused: legal retention applies")
    REFUSED = "refused", _("Refused")


ANSWER_MONTHS = 1


def one_month_after(day: dt.date) -> dt.date:
    """The answer deadline: the same day next month (the month's last day if it has none)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    for last in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


class PrivacyRequest(PublicModel):
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="privacy_requests"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RequestKind.choices)
    requested_on = models.DateField(_("requested on"))
    due_on = models.DateField(_("answer due on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    handled_on = models.DateField(_("handled on"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=RequestOutcome.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["handled_on", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=RequestKind.values), name="privacyrequest_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(due_on__gt=F("requested_on")), name="privacyrequest_due_after"
            ),
            # Handled means all three (date, person, outcome); open means none of them.
            models.CheckConstraint(
                condition=(
                    Q(handled_on__isnull=True, handled_by__isnull=True, outcome="")
                    | (
                        Q(handled_on__isnull=False, handled_by__isnull=False)
                        & Q(outcome__in=RequestOutcome.values)
                        & Q(handled_on__gte=F("requested_on"))
                    )
                ),
                name="privacyrequest_handled_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.requested_on}"

    @property
    def is_open(self) -> bool:
        return self.handled_on is None

    def is_overdue(self, today: dt.date) -> bool:
        return self.is_open and today > self.due_on
