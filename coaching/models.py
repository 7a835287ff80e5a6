"""The messaging space: one space per team plus one organisation-wide channel.

A team's nurses and coaches talk in threads of posts. Posts can mention people (which notifies
them), carry files, and be marked as a team decision. Read state is kept per person per thread
as "the last post I have seen", so unread counts are one indexed comparison.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from buurtzorg.models import PublicModel, TimeStampedModel
from coaching.filetypes import EXTENSIONS
from teams.models import Team, User

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_SUBJECT_LENGTH = 200
MAX_BODY_LENGTH = 10_000


class SpaceKind(models.TextChoices):
    TEAM = "team", _("Team space")
    ORGANISATION = "org", _("Organisation-wide channel")


class Space(PublicModel):
    """Where a team (or, for the one ORGANISATION space, everybody in care) talks."""

    kind = models.CharField(max_length=10, choices=SpaceKind.choices, default=SpaceKind.TEAM)
    team = models.OneToOneField(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="space"
    )
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=SpaceKind.TEAM) & Q(team__isnull=False))
                | (Q(kind=SpaceKind.ORGANISATION) & Q(team__isnull=True)),
                name="space_team_iff_team_kind",
                violation_error_message=_("A team space belongs to exactly one team."),
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind=SpaceKind.ORGANISATION),
                name="space_one_organisation_channel",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("coaching:thread-list", args=[self.public_id])

    @property
    def title(self) -> str:
        """The name as pages show it. The one organisation-wide channel is stored under its
        English name (data); its readers see it in their own language."""
        if self.kind == SpaceKind.ORGANISATION:
            return gettext("All teams")
        return self.name

    @property
    def is_organisation(self) -> bool:
        return self.kind == SpaceKind.ORGANISATION


class Thread(PublicModel):
    """A conversation with a subject. System notices have no author."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="threads")
    subject = models.CharField(_("subject"), max_length=MAX_SUBJECT_LENGTH)
    author = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="coaching_threads"
    )
    is_question = models.BooleanField(_("this is a question"), default=False)
    is_system = models.BooleanField(default=False)
    # A stable name for a system thread that notices keep posting to (e.g. "rota-gaps"), so
    # it is found by this key and not by its subject text. Empty for people's threads.
    system_key = models.CharField(max_length=40, blank=True, default="")
    problems = models.ManyToManyField(
        "omaha.Problem", blank=True, related_name="coaching_questions", verbose_name=_("problems")
    )
    # Set by the post service when someone other than the asker replies to a question.
    answered_at = models.DateTimeField(null=True, blank=True)
    # Bumped by the post service (inside the same transaction) so lists sort by activity.
    last_post_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_post_at", "-id"]
        indexes = [models.Index(fields=["space", "-last_post_at"], name="thread_space_activity")]
        constraints = [
            models.CheckConstraint(condition=~Q(subject=""), name="thread_subject_not_empty"),
            models.CheckConstraint(
                condition=Q(is_system=True) | Q(author__isnull=False),
                name="thread_author_unless_system",
            ),
            models.UniqueConstraint(
                fields=["space", "system_key"],
                condition=~Q(system_key=""),
                name="thread_one_per_system_key",
            ),
            models.CheckConstraint(
                condition=Q(system_key="") | Q(is_system=True),
                name="thread_system_key_only_on_system",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("coaching:thread-detail", args=[self.public_id])


class Post(PublicModel):
    """One message in a thread. `author` is empty exactly for system notices."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="coaching_posts"
    )
    body = models.TextField(_("message"), max_length=MAX_BODY_LENGTH)
    is_system = models.BooleanField(default=False)
    is_decision = models.BooleanField(_("team decision"), default=False)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["thread", "id"], name="post_thread_id")]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="post_body_not_empty"),
            models.CheckConstraint(
                condition=(Q(is_system=True) & Q(author__isnull=True))
                | (Q(is_system=False) & Q(author__isnull=False)),
                name="post_author_iff_not_system",
            ),
            models.CheckConstraint(
                condition=Q(is_decision=False) | Q(decided_at__isnull=False),
                name="post_decision_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author or 'System'}: {self.body[:40]}"


class Mention(TimeStampedModel):
    """`person` was named with @username in `post`. Creating one also creates a Notification."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="coaching_mentions")

    class Meta:
        ordering = ["post", "person"]
        constraints = [
            models.UniqueConstraint(fields=["post", "person"], name="mention_once_per_post")
        ]

    def __str__(self) -> str:
        return f"@{self.person.username} in {self.post_id}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    """Random storage name: the uploader's file name never reaches the file system."""
    return f"coaching/{uuid.uuid4().hex}{instance.extension}"


class Attachment(PublicModel):
    """A file on a post. Type and size are checked from the content by the service."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gt=0) & Q(size__lte=MAX_ATTACHMENT_BYTES),
                name="attachment_size_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def extension(self) -> str:
        return EXTENSIONS.get(self.content_type, "")

    def get_absolute_url(self) -> str:
        return reverse("coaching:attachment-download", args=[self.public_id])


class ReadState(TimeStampedModel):
    """The last post `person` has seen in `thread`; later posts are unread for her."""

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="coaching_reads")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_states")
    last_read_post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["person", "thread"]
        constraints = [
            models.UniqueConstraint(fields=["person", "thread"], name="readstate_one_per_thread")
        ]

    def __str__(self) -> str:
        return f"{self.person} read {self.thread} up to {self.last_read_post_id}"


class NotificationKind(models.TextChoices):
    MENTION = "mention", _("You were mentioned")


class Notification(PublicModel):
    """Something a person should look at; `read_at` is set when she opens it."""

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="coaching_notifications"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="notifications")
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "post", "kind"], name="notification_once_per_post"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=NotificationKind.values), name="notification_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.recipient})"


class TeamDay(TimeStampedModel):
    """One team's figures for one day, kept by `coaching.summary.team_days_refresh`.

    The dashboards read a few hundred of these rows instead of scanning millions of visits.
    Two kinds of columns:

    - counts of that day (visits that started on it in local time, admissions, discharges,
      contracted hours): additive, so a period is the sum of its days;
    - the state at the end of that day (clients in care, outcome change, problems most worked
      on) and the rota gaps of the 14 days from it: filled only for the days the job computed
      them for (`state_at`), NULL otherwise; the figures service then computes them live.

    `pairs` holds the (client, nurse) pairs of the day's done visits as `client << 32 | nurse`,
    so continuity of care (distinct nurses per client) is exact over any period. With the
    state, `window_pairs` and `window_clients` hold the distinct pairs and clients of the
    dashboards' default period (the 28 days up to and including `day`): a cold dashboard
    then reads them from the row instead of counting distinct pairs over 28 days of arrays.
    `updated_at` is when the row was last computed: how stale the page can be.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    week = models.DateField(help_text="Monday of the day's week (the sparkline groups by it)")
    planned_visits = models.PositiveIntegerField(default=0)
    logged_visits = models.PositiveIntegerField(default=0)
    late_visits = models.PositiveIntegerField(default=0)
    delivered_minutes = models.PositiveIntegerField(default=0)
    intake = models.PositiveIntegerField(default=0)
    discharges = models.PositiveIntegerField(default=0)
    nurses = models.PositiveSmallIntegerField(default=0)
    contracted_hours_week = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    pairs = models.JSONField(default=list)
    # state at the end of `day` (NULL: not computed for this day)
    state_at = models.DateTimeField(null=True, blank=True)
    active_clients = models.PositiveIntegerField(null=True, blank=True)
    indicated_hours_week = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True
    )
    rated_problems = models.PositiveIntegerField(null=True, blank=True)
    improved = models.PositiveIntegerField(null=True, blank=True)
    stayed = models.PositiveIntegerField(null=True, blank=True)
    worsened = models.PositiveIntegerField(null=True, blank=True)
    top_problems = models.JSONField(null=True, blank=True)
    gap_count = models.PositiveIntegerField(null=True, blank=True)
    gap_hours = models.DecimalField(max_digits=8, decimal_places=1, null=True, blank=True)
    window_pairs = models.PositiveIntegerField(null=True, blank=True)
    window_clients = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["team", "day"]
        constraints = [
            models.UniqueConstraint(fields=["team", "day"], name="teamday_one_per_team_and_day"),
        ]
        indexes = [
            # The dashboards' sums and the cache's stamps read these columns of a coach's teams
            # over some 12 weeks (4,200 rows for 50 teams): from this index alone, an
            # index-only scan, instead of ~600 heap pages of rows made wide by `pairs`.
            models.Index(
                fields=["team", "day"],
                include=[
                    "id",
                    "week",
                    "updated_at",
                    "planned_visits",
                    "logged_visits",
                    "late_visits",
                    "delivered_minutes",
                    "intake",
                    "discharges",
                    "contracted_hours_week",
                ],
                name="teamday_figures_covering",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team_id} on {self.day}"


class TeamPeriodFigures(TimeStampedModel):
    """A team's figures for the dashboards' default period (the 28 days up to and including
    `day`), finished: written by `coaching.summary.team_days_refresh` from the summary rows
    it has just written, in the same transaction, for the day it ran on.

    Why: a coach's dashboard shows 50 teams. Summing their 4,000-odd summary rows (the period
    and the 12 sparkline weeks) and checking a cache entry per team cost more than the rest of
    the page together; this is one row per team, read by its key. Exact: every write to a
    team's `TeamDay` rows goes through the refresh, which rewrites this row (or deletes it when
    the summary does not cover the period, so the figures service computes them another way).
    The columns are those of `coaching.figures.TeamFigures` (`as_of`: the summary's state time
    the figures were made from); `weekly_productivity` holds the sparkline's 12 weeks as
    decimal strings (null: a week without contracted hours).
    """

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(help_text="The period's last day: the day the refresh ran for")
    as_of = models.DateTimeField()
    active_clients = models.PositiveIntegerField()
    intake = models.PositiveIntegerField()
    discharges = models.PositiveIntegerField()
    nurses = models.PositiveSmallIntegerField()
    contracted_hours_week = models.DecimalField(max_digits=8, decimal_places=2)
    contracted_hours = models.DecimalField(max_digits=10, decimal_places=1)
    delivered_hours = models.DecimalField(max_digits=10, decimal_places=1)
    planned_visits = models.PositiveIntegerField()
    logged_visits = models.PositiveIntegerField()
    late_visits = models.PositiveIntegerField()
    gap_count = models.PositiveIntegerField()
    gap_hours = models.DecimalField(max_digits=8, decimal_places=1)
    rated_problems = models.PositiveIntegerField()
    improved = models.PositiveIntegerField()
    stayed = models.PositiveIntegerField()
    worsened = models.PositiveIntegerField()
    top_problems = models.JSONField(default=list)
    continuity = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    indicated_hours_week = models.DecimalField(max_digits=10, decimal_places=2)
    weekly_productivity = models.JSONField(default=list)

    class Meta:
        ordering = ["team"]
        verbose_name_plural = "team period figures"

    def __str__(self) -> str:
        return f"{self.team_id}: 28 days up to {self.day}"
