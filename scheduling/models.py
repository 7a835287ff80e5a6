"""Rota (shifts, cover arrangements, coverage rules, leave), care services and visits.

A nurse can never be double-booked: on PostgreSQL an exclusion constraint on
(nurse, tstzrange(starts_at, ends_at)) refuses overlapping shifts (and overlapping visits),
whichever path writes them. Those constraints live in migrations that run only on PostgreSQL
(`scheduling.migration_ops`), so the embedded SQLite mode still migrates; the services check
overlaps themselves under a row lock, so SQLite behaves the same through the app.
"""

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from buurtzorg.models import PublicModel, TimeStampedModel
from teams.models import Team, User

MAX_SHIFT_HOURS = 12


class ShiftKind(models.TextChoices):
    EARLY = "early", _("Early")
    LATE = "late", _("Late")
    NIGHT = "night", _("Night")
    FREE = "free", _("Free times")


# Local (Europe/Amsterdam) wall-clock times of the shift patterns. A pattern whose end is not
# after its start ends the next day, so the night shift is 9 hours long on the night the
# clocks go back and 7 hours on the night they go forward.
SHIFT_PATTERNS: dict[str, tuple[dt.time, dt.time]] = {
    ShiftKind.EARLY: (dt.time(7), dt.time(15)),
    ShiftKind.LATE: (dt.time(15), dt.time(23)),
    ShiftKind.NIGHT: (dt.time(23), dt.time(7)),
}


class Shift(PublicModel):
    """A nurse on duty for a team from `starts_at` to `ends_at` (half-open interval)."""

    nurse = models.ForeignKey(User, on_delete=models.PROTECT, related_name="shifts")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="shifts")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    kind = models.CharField(_("kind"), max_length=10, choices=ShiftKind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at", "nurse"]
        indexes = [
            models.Index(fields=["team", "starts_at"], name="shift_team_start_idx"),
            models.Index(fields=["nurse", "starts_at"], name="shift_nurse_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="shift_ends_after_start",
                violation_error_message=_("A shift must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__lte=F("starts_at") + dt.timedelta(hours=MAX_SHIFT_HOURS)),
                name="shift_at_most_12_hours",
                violation_error_message=_("A shift can last at most 12 hours."),
            ),
            models.CheckConstraint(condition=Q(kind__in=ShiftKind.values), name="shift_kind_known"),
        ]

    def __str__(self) -> str:
        return f"{self.nurse} {self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def duration(self) -> dt.timedelta:
        return self.ends_at - self.starts_at


class CoverArrangement(PublicModel):
    """At night, `covering_team`'s night shifts also cover `covered_team` (small teams share)."""

    covering_team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="covers_for", verbose_name=_("covering team")
    )
    covered_team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="covered_by", verbose_name=_("covered team")
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["covered_team", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(covering_team=F("covered_team")),
                name="coverarrangement_not_self",
                violation_error_message=_("A team cannot cover itself."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="coverarrangement_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.covering_team} covers {self.covered_team} at night from {self.valid_from}"


class CoverageRule(PublicModel):
    """At least `min_nurses` on duty for `team` from `starts_at` to `ends_at` local time, daily.

    An end not after the start wraps past midnight (23:00-07:00).
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="coverage_rules")
    starts_at = models.TimeField(_("from (local time)"))
    ends_at = models.TimeField(_("until (local time)"))
    min_nurses = models.PositiveSmallIntegerField(_("minimum nurses on duty"))

    class Meta:
        ordering = ["team", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_nurses__gte=0, min_nurses__lte=Team.MAX_NURSES),
                name="coveragerule_min_in_range",
                violation_error_message=_("The minimum must be between 0 and 12 nurses."),
            ),
            models.CheckConstraint(
                condition=~Q(starts_at=F("ends_at")),
                name="coveragerule_not_empty",
                violation_error_message=_("A part of the day needs different start and end."),
            ),
            models.UniqueConstraint(
                fields=["team", "starts_at"],
                name="coveragerule_one_per_start",
                violation_error_message=_("This team already has a rule starting then."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team}: {self.min_nurses} from {self.starts_at:%H:%M} to {self.ends_at:%H:%M}"

    @property
    def wraps_midnight(self) -> bool:
        return self.ends_at <= self.starts_at


class Leave(PublicModel):
    """The nurse is unavailable from `starts_at` to `ends_at`: nothing may be planned then."""

    nurse = models.ForeignKey(User, on_delete=models.CASCADE, related_name="leaves")
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["nurse", "starts_at"], name="leave_nurse_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="leave_ends_after_start",
                violation_error_message=_("Leave must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nurse} on leave {self.starts_at:%Y-%m-%d} to {self.ends_at:%Y-%m-%d}"


class CareService(TimeStampedModel):
    """A billable service ("prestatie"), configured by the back office.

    The official code list is not shipped: demo rows carry `is_example` and say so in the name.
    """

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    is_billable = models.BooleanField(_("billable"), default=True)
    is_example = models.BooleanField(_("example code (not official)"), default=False)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
