"""Reports (rapportage) and the handover's read marks (issue 16, items 1 and 2).

A report is what a nurse writes about a client: per Omaha problem she worked on, or a general
note (no problem), at a visit or outside one. The author may change her report for
`EDIT_MINUTES` after she stored it; after that a change is a new entry that `replaces` the old
one, and the old one stays (the timeline shows both). The database backs this: `replaces` is
unique (one newer entry per replaced entry), and a trigger (migration 0001) refuses to change
the text of a report stored more than `EDIT_MINUTES` ago, or to store one dated in the future.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from buurtzorg.models import PublicModel

TEXT_MAX = 4000
SOAP_MAX = 2000
EDIT_MINUTES = 15
EDIT_WINDOW = dt.timedelta(minutes=EDIT_MINUTES)


class CareReport(PublicModel):
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="care_reports"
    )
    visit = models.ForeignKey(
        "scheduling.Visit",
        on_delete=models.PROTECT,
        related_name="care_reports",
        null=True,
        blank=True,
    )
    # No problem: a general note about the client.
    client_problem = models.ForeignKey(
        "clients.ClientProblem",
        on_delete=models.CASCADE,
        related_name="care_reports",
        null=True,
        blank=True,
        verbose_name=_("problem"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="care_reports"
    )
    written_at = models.DateTimeField(_("written at"))
    text = models.CharField(_("report"), max_length=TEXT_MAX)
    subjective = models.CharField(_("S: subjective"), max_length=SOAP_MAX, blank=True)
    objective = models.CharField(_("O: objective"), max_length=SOAP_MAX, blank=True)
    assessment = models.CharField(_("A: assessment"), max_length=SOAP_MAX, blank=True)
    plan = models.CharField(_("P: plan"), max_length=SOAP_MAX, blank=True)
    for_handover = models.BooleanField(_("for handover"), default=False)
    # The entry this one corrects (a change after the edit window). One-to-one: an entry is
    # corrected at most once; a later change corrects the newest version.
    replaces = models.OneToOneField(
        "self",
        on_delete=models.CASCADE,
        related_name="replaced_by",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["-written_at", "-pk"]
        indexes = [
            models.Index(fields=["client", "-written_at"], name="carereport_client_written"),
            models.Index(
                fields=["written_at"],
                condition=Q(for_handover=True),
                name="carereport_handover_written",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(text__regex=r"\S"), name="carereport_text_not_blank"
            ),
            models.CheckConstraint(
                condition=~Q(replaces=models.F("pk")), name="carereport_not_replacing_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.written_at:%Y-%m-%d %H:%M}"

    @property
    def is_general(self) -> bool:
        return self.client_problem_id is None


class HandoverRead(PublicModel):
    """A nurse's "read" mark on one handover item. `item_key` names the item whatever source
    made it ("report:<id>", "visit-missed:<id>", ...): sources plug in through
    `settings.HANDOVER_SOURCES`, so the key is text, not a foreign key."""

    nurse = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="handover_reads"
    )
    item_key = models.CharField(max_length=120)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["nurse", "item_key"], name="handoverread_once"),
        ]

    def __str__(self) -> str:
        return f"{self.nurse} read {self.item_key}"
