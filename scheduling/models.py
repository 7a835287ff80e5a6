"""Rota (shifts, cover arrangements, coverage rules, leave), care services and visits.

A nurse can never be double-booked: on PostgreSQL an exclusion constraint on
(nurse, tstzrange(starts_at, ends_at)) refuses overlapping shifts (and overlapping visits),
whichever path writes them. Those constraints live in migrations that run only on PostgreSQL
(`buurtzorg.migration_ops`), so the embedded SQLite mode still migrates; the services check
overlaps themselves under a row lock, so SQLite behaves the same through the app.
"""

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
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
        start = timezone.localtime(self.starts_at)
        return f"{self.nurse} {self.get_kind_display()} {start:%Y-%m-%d %H:%M}"

    @property
    def duration(self) -> dt.timedelta:
        return self.ends_at - self.starts_at


class CoverStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")


class CoverArrangementQuerySet(models.QuerySet):
    def accepted(self) -> "CoverArrangementQuerySet":
        """Arrangements the covered team agreed to: the only ones that count anywhere (the
        coverage check, the nightly notice, who may read a covered team's visits)."""
        return self.filter(status=CoverStatus.ACCEPTED)

    def in_force(self, on: dt.date | Any) -> "CoverArrangementQuerySet":
        """Accepted and covering day `on` (a date, or an expression giving one)."""
        return (
            self.accepted()
            .filter(valid_from__lte=on)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        )


class CoverArrangement(PublicModel):
    """At night, `covering_team`'s night shifts also cover `covered_team` (small teams share).

    The covering team proposes; only once the covered team accepts does the arrangement count
    (an arrangement one team could impose would hide the other's gaps). Either team may remove it.
    """

    covering_team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="covers_for", verbose_name=_("covering team")
    )
    covered_team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="covered_by", verbose_name=_("covered team")
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CoverStatus.choices, default=CoverStatus.PROPOSED
    )
    accepted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    objects = CoverArrangementQuerySet.as_manager()

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
            models.CheckConstraint(
                condition=Q(status__in=CoverStatus.values), name="coverarrangement_status_known"
            ),
            models.CheckConstraint(
                condition=Q(
                    status=CoverStatus.ACCEPTED,
                    accepted_by__isnull=False,
                    accepted_at__isnull=False,
                )
                | Q(
                    status=CoverStatus.PROPOSED,
                    accepted_by__isnull=True,
                    accepted_at__isnull=True,
                ),
                name="coverarrangement_accepted_by_someone",
                violation_error_message=_("An accepted arrangement names who accepted it."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.covering_team} covers {self.covered_team} at night from {self.valid_from}"

    @property
    def is_accepted(self) -> bool:
        return self.status == CoverStatus.ACCEPTED


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


# --- visits ---------------------------------------------------------------------------------


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
    # The nurse came but gave no care: the client was not home, refused, or is in hospital.
    # Handled (not "planned and not logged"), never billed (only DONE counts), a missed visit
    # on the handover. The slot stays hers: she was there at that time.
    NOT_DONE = "not_done", _("Not done")


class NotDoneReason(models.TextChoices):
    """Why a planned visit was not done; "other" needs her own words."""

    NOT_HOME = "not_home", _("Client not home")
    REFUSED = "refused", _("Client refused care")
    IN_HOSPITAL = "in_hospital", _("Client in hospital")
    OTHER = "other", _("Other reason")


# Monday first, in the active language (Django's own translated abbreviations: Mon / ma).
WEEKDAY_NAMES = [WEEKDAYS_ABBR[i] for i in range(7)]
EVERY_DAY = 0b1111111
MAX_VISIT_MINUTES = 12 * 60


class VisitSeries(PublicModel):
    """A recurring visit: on the weekdays in `weekdays` (bit 0 = Monday) at `time_of_day`.

    A nightly job materialises single visits for the next 28 days; (series, occurrence date)
    is unique, so running it twice changes nothing.
    """

    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="visit_series"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="visit_series")
    nurse = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="visit_series", null=True, blank=True
    )
    weekdays = models.PositiveSmallIntegerField(_("weekdays"), default=EVERY_DAY)
    time_of_day = models.TimeField(_("time (local)"))
    planned_minutes = models.PositiveSmallIntegerField(_("planned minutes"))
    starts_on = models.DateField(_("first day"))
    until = models.DateField(_("until"), null=True, blank=True)
    service = models.ForeignKey(
        CareService, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    planned_interventions = models.ManyToManyField(
        "clients.Intervention", related_name="planned_series", blank=True
    )
    notes = models.TextField(_("notes for each visit"), blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["client", "time_of_day", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekdays__gte=1, weekdays__lte=EVERY_DAY),
                name="visitseries_weekdays_valid",
                violation_error_message=_("Choose at least one weekday."),
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("starts_on")),
                name="visitseries_until_after_start",
                violation_error_message=_("The end date cannot be before the first day."),
            ),
            models.CheckConstraint(
                condition=Q(planned_minutes__gte=5, planned_minutes__lte=MAX_VISIT_MINUTES),
                name="visitseries_minutes_in_range",
                violation_error_message=_("A visit lasts 5 minutes to 12 hours."),
            ),
        ]

    def __str__(self) -> str:
        return _("{client}: {weekdays} at {time}").format(
            client=self.client, weekdays=self.weekday_text, time=f"{self.time_of_day:%H:%M}"
        )

    @property
    def weekday_text(self) -> str:
        if self.weekdays == EVERY_DAY:
            return str(_("daily"))
        return "/".join(str(n) for i, n in enumerate(WEEKDAY_NAMES) if self.weekdays & (1 << i))

    def occurs_on(self, day: dt.date) -> bool:
        return bool(self.weekdays & (1 << day.weekday())) and (
            self.starts_on <= day and (self.until is None or day <= self.until)
        )


BOOKING = Q(nurse__isnull=False, corrects__isnull=True) & ~Q(status=VisitStatus.CANCELLED)


def visit_counts_q() -> Q:
    """THE rule "this visit row counts" (minutes for billing, dashboards and outcome reports),
    as a condition usable in `filter()` and in an aggregate's `filter=`.

    A row counts when it is done (planned, in progress and cancelled rows never count) and no
    later row replaces it:
    - a correction (`corrects`) replaces the visit it corrects, whatever the correction's own
      status: a cancelled correction takes a billed visit back out, and itself counts nothing;
    - of two or more corrections of one visit, the latest (highest id: rows are only ever
      added, and `visit_correct` locks the chain's first visit, so ids follow the order in
      which corrections were made) replaces the earlier ones. A correction states what
      happened, not a difference, so the latest is what happened: 60 min billed, corrected
      to 40, then to 50, counts 50. (Billing used to count 40 + 50 = 90 for such siblings,
      the dashboards 50; this rule ends that disagreement.) A correction of a correction (a
      chain) works the same way through the first point. `visit_correct` always corrects the
      chain's latest row, so its chains stay a line (each row corrected at most once) and
      exactly one row of a chain counts; siblings come only from rows written past it
      (imports, tests).

    Both tests are `NOT EXISTS` over correction rows only (`corrects_id IS NOT NULL`, through
    the index on `corrects_id`): PostgreSQL makes them anti-joins that hash the few correction
    rows, instead of probing or hashing the whole visit table, so a national month (about 2
    million visits) pays almost nothing for them.
    """
    corrections = Visit.objects.filter(corrects__isnull=False)
    replaced = corrections.filter(corrects=OuterRef("pk"))
    later_sibling = corrections.filter(corrects=OuterRef("corrects"), pk__gt=OuterRef("pk"))
    return Q(status=VisitStatus.DONE) & ~Exists(replaced) & ~Exists(later_sibling)


class VisitQuerySet(models.QuerySet):
    def effective(self) -> "VisitQuerySet":
        """Visit rows that count: see `visit_counts_q`, the one definition."""
        return self.filter(visit_counts_q())


class Visit(PublicModel):
    """A planned or logged visit to a client.

    `ends_at` is the planned end (start + planned minutes), stored so that PostgreSQL can hold
    the no-double-booking exclusion constraint on tstzrange(starts_at, ends_at). Once billing
    sets `billed_at` the row is read-only (a trigger on PostgreSQL); a later change is a new
    correction row pointing at it through `corrects`.
    """

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="visits")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="visits")
    nurse = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="visits", null=True, blank=True
    )
    series = models.ForeignKey(
        VisitSeries, on_delete=models.SET_NULL, related_name="visits", null=True, blank=True
    )
    occurrence_date = models.DateField(null=True, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("planned end"))
    planned_minutes = models.PositiveSmallIntegerField(_("planned minutes"))
    status = models.CharField(
        _("status"), max_length=12, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )
    planned_interventions = models.ManyToManyField(
        "clients.Intervention", related_name="planned_visits", blank=True
    )
    notes = models.TextField(_("notes for the visit"), blank=True)
    service = models.ForeignKey(
        CareService, on_delete=models.PROTECT, related_name="visits", null=True, blank=True
    )
    # logging
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    logged_minutes = models.PositiveSmallIntegerField(_("logged minutes"), null=True, blank=True)
    logged_at = models.DateTimeField(null=True, blank=True)
    logged_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    log_note = models.CharField(_("note"), max_length=500, blank=True)
    deviation_reason = models.CharField(_("reason for the difference"), max_length=300, blank=True)
    not_done_reason = models.CharField(
        _("why not done"), max_length=12, choices=NotDoneReason.choices, blank=True
    )
    done_interventions = models.ManyToManyField(
        "clients.Intervention", related_name="done_visits", blank=True
    )
    # billing
    billed_at = models.DateTimeField(null=True, blank=True)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="corrections", null=True, blank=True
    )

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["nurse", "starts_at"], name="visit_nurse_start_idx"),
            models.Index(fields=["team", "starts_at"], name="visit_team_start_idx"),
            models.Index(fields=["client", "starts_at"], name="visit_client_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="visit_ends_after_start",
                violation_error_message=_("A visit must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(planned_minutes__gte=5, planned_minutes__lte=MAX_VISIT_MINUTES),
                name="visit_minutes_in_range",
                violation_error_message=_("A visit lasts 5 minutes to 12 hours."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=VisitStatus.values), name="visit_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status=VisitStatus.DONE)
                | Q(logged_minutes__isnull=False, logged_at__isnull=False),
                name="visit_done_is_logged",
                violation_error_message=_("A done visit needs its logged minutes."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=VisitStatus.NOT_DONE)
                    & ~Q(not_done_reason="")
                    & Q(logged_minutes__isnull=True, logged_at__isnull=False)
                    & (~Q(not_done_reason=NotDoneReason.OTHER) | ~Q(log_note=""))
                )
                | (~Q(status=VisitStatus.NOT_DONE) & Q(not_done_reason="")),
                name="visit_not_done_has_reason",
                violation_error_message=_(
                    "A visit not done needs its reason (and, for another reason, a few words), "
                    "and no minutes."
                ),
            ),
            models.CheckConstraint(
                condition=Q(logged_minutes__isnull=True) | Q(logged_minutes__lte=24 * 60),
                name="visit_logged_minutes_in_range",
                violation_error_message=_("A visit cannot last more than 24 hours."),
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True)
                | Q(started_at__isnull=True)
                | Q(ended_at__gte=F("started_at")),
                name="visit_ended_after_started",
                violation_error_message=_("A visit cannot end before it started."),
            ),
            models.UniqueConstraint(
                fields=["series", "occurrence_date"],
                condition=Q(series__isnull=False, corrects__isnull=True),
                name="visit_one_per_series_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def is_billed(self) -> bool:
        return self.billed_at is not None

    @property
    def is_open(self) -> bool:
        return self.status in (VisitStatus.PLANNED, VisitStatus.IN_PROGRESS)


class VisitService(TimeStampedModel):
    """Minutes of one care service delivered in a visit: what billing counts."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="services")
    service = models.ForeignKey(CareService, on_delete=models.PROTECT, related_name="+")
    minutes = models.PositiveSmallIntegerField(_("minutes"))

    class Meta:
        ordering = ["visit", "service"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "service"], name="visitservice_unique"),
            models.CheckConstraint(
                condition=Q(minutes__gte=1, minutes__lte=24 * 60),
                name="visitservice_minutes_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service.code}: {self.minutes} min"


class CalendarToken(TimeStampedModel):
    """The secret in a nurse's iCalendar feed URL. Revoking it makes the URL answer 404."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="calendar_tokens")
    token = models.CharField(max_length=64, unique=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="calendartoken_one_live"
            )
        ]

    def __str__(self) -> str:
        return _("Calendar feed of {user}").format(user=self.user)


class VisitLogKey(TimeStampedModel):
    """An idempotency key made on the phone for one offline action on a visit (issue 18): its
    log, a report, a rating or a dose sign-off.

    The phone queues a log while there is no network and may send it again (a lost answer, a
    second tab). `visit_log` inserts this row in the same transaction as the log: the unique
    key makes a second application impossible whatever path sends it, and a repeat finds the
    row and changes nothing. `acted_at` is when the nurse did it on the phone.
    """

    key = models.UUIDField(unique=True)
    # Which offline action the key applied (settings.OFFLINE_ACTION_HANDLERS): "done" for the
    # visit log API's own key, and each queued action's kind for the offline endpoint.
    kind = models.CharField(max_length=20, default="done")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="log_keys")
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    acted_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.key} ({self.visit_id})"
