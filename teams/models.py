"""Accounts, neighbourhoods, teams and memberships.

The 12-nurse cap is a database fact: each active membership holds a seat 1..12 and a partial
unique constraint on (team, seat) makes a 13th active row impossible, whichever path writes it.
"""

import datetime as dt
import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from buurtzorg.models import PublicModel, TimeStampedModel
from buurtzorg.roles import Role  # re-exported: teams.models.Role is the kernel's Role
from teams.names import (
    INITIALS_MAX_LENGTH,
    NAME_PREFIX_MAX_LENGTH,
    DutchNameMixin,
    Sex,
    initials_check,
    initials_validator,
    name_prefix_check,
    name_prefix_validator,
)

POSTCODE_VALIDATOR = RegexValidator(
    r"^[1-9][0-9]{3}$", _("A Dutch postcode area is 4 digits, 1000-9999.")
)
POPULATION_WARNING_LIMIT = 10_000


class AccountManager(UserManager["User"]):
    """Django's user manager, except that a superuser is an administrator in the app too.

    `manage.py createsuperuser` is how a fresh install gets its first account (README
    "Production"); with the model's default role she would be a nurse with no team."""

    def create_superuser(
        self,
        username: str,
        email: str | None = None,
        password: str | None = None,
        **extra_fields: Any,
    ) -> "User":
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(DutchNameMixin, AbstractUser):
    """A person who logs in. `role` decides which part of the app she works in.

    Her name is Dutch-shaped (teams.names): `first_name` is the roepnaam, `last_name` the
    achternaam without its tussenvoegsel `name_prefix`, plus `initials` and `sex`.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    initials = models.CharField(
        _("initials"),
        max_length=INITIALS_MAX_LENGTH,
        blank=True,
        validators=[initials_validator],
    )
    name_prefix = models.CharField(
        _("name prefix"),
        max_length=NAME_PREFIX_MAX_LENGTH,
        blank=True,
        validators=[name_prefix_validator],
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.NURSE)
    # Her interface language (teams.language); blank follows the browser's language.
    language = models.CharField(
        _("language"), max_length=8, blank=True, default="", choices=settings.LANGUAGES
    )

    objects: ClassVar[AccountManager] = AccountManager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="user_role_known"),
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="user_sex_known"),
            models.CheckConstraint(condition=initials_check(), name="user_initials_format"),
            models.CheckConstraint(condition=name_prefix_check(), name="user_name_prefix_format"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    def get_full_name(self) -> str:
        """Django's name for the display name ("Jan de Jong"), so the admin shows it too."""
        return self.display_name

    def get_short_name(self) -> str:
        return self.first_name

    @property
    def is_nurse(self) -> bool:
        return self.role == Role.NURSE

    @property
    def is_coach(self) -> bool:
        return self.role == Role.COACH

    @property
    def is_back_office(self) -> bool:
        return self.role == Role.BACK_OFFICE

    @property
    def is_admin_role(self) -> bool:
        return self.role == Role.ADMIN


class Neighbourhood(PublicModel):
    """A neighbourhood of under ~10,000 inhabitants, served by one team."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    population_estimate = models.PositiveIntegerField(_("population estimate"), default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("teams:neighbourhood-edit", args=[self.public_id])

    @property
    def is_over_population_limit(self) -> bool:
        return self.population_estimate > POPULATION_WARNING_LIMIT


class PostcodeArea(TimeStampedModel):
    """A Dutch 4-digit postcode area. Each belongs to at most one neighbourhood."""

    code = models.CharField(max_length=4, unique=True, validators=[POSTCODE_VALIDATOR])
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="postcode_areas"
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[1-9][0-9]{3}$"), name="postcodearea_four_digits"
            )
        ]

    def __str__(self) -> str:
        return self.code


def membership_active_q(*, on: dt.date | None = None, prefix: str = "") -> Q:
    """THE rule "this membership is active", as a condition (`prefix` reaches it through a
    relation, e.g. "memberships__" from a team).

    Without `on`: the membership has not ended (`ended_on IS NULL`), the meaning the seat and
    one-team constraints use (`ACTIVE` below). With `on`: it covers that day (started on or
    before it and not ended before it), for questions about a given date.
    """
    if on is None:
        return Q(**{f"{prefix}ended_on__isnull": True})
    return Q(**{f"{prefix}started_on__lte": on}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": on})
    )


def nurse_team_id(user: Any) -> Subquery:
    """The nurse's active team id as a scalar subquery (at most one: `membership_one_active_team`).

    `team_id = (SELECT ...)` lets PostgreSQL evaluate it once (an InitPlan) and use the index
    on the outer table's team_id; `team_id IN (SELECT ...) OR ...` became a hashed-subplan
    filter over a sequential scan of all 2 million visits (1.2 s).
    """
    return Subquery(Membership.objects.active().filter(nurse=user).order_by().values("team_id")[:1])


def team_scope_q(user: Any, *, prefix: str = "") -> Q | None:
    """THE rule "which teams does `user` work in", as a condition on a team (`prefix` reaches
    the team through a relation, e.g. "team__" from a client). None: no team at all.

    - a nurse: her active team (at most one, so no duplicate rows);
    - a coach: the teams she coaches ((coach, team) is unique, so no duplicates either);
    - everyone else, and anyone anonymous or deactivated: none. Back office and administrators
      see all teams on the pages that are theirs; those selectors say so themselves.
    """
    if not (user.is_authenticated and user.is_active):
        return None
    role = getattr(user, "role", None)
    if role == Role.NURSE:
        return Q(**{f"{prefix}pk": nurse_team_id(user)})
    if role == Role.COACH:
        return Q(**{f"{prefix}coach_assignments__coach": user})
    return None


class TeamQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> "TeamQuerySet":
        """Teams `user` works in: a nurse her active team, a coach the teams she coaches,
        nobody else any (see `team_scope_q`)."""
        scope = team_scope_q(user)
        return self.none() if scope is None else self.filter(scope)


class Team(PublicModel):
    MAX_NURSES = 12

    name = models.CharField(_("name"), max_length=120, unique=True)
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.PROTECT, related_name="teams")
    is_active = models.BooleanField(_("active"), default=True)
    coaches = models.ManyToManyField(
        User, through="CoachAssignment", related_name="coached_teams", blank=True
    )

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("teams:team-detail", args=[self.public_id])


ACTIVE = membership_active_q()


class MembershipQuerySet(models.QuerySet):
    def active(self, on: dt.date | None = None) -> "MembershipQuerySet":
        """Active memberships: not ended (the constraints' meaning), or covering day `on`."""
        return self.filter(membership_active_q(on=on))

    def overlapping(self, start: dt.date, end: dt.date) -> "MembershipQuerySet":
        """Memberships active on at least one day of [start, end] (both included)."""
        return self.filter(started_on__lte=end).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=start)
        )


class Membership(PublicModel):
    """A nurse's seat in a team. Seats 1..MAX_NURSES make the team cap a database fact."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="memberships")
    nurse = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    seat = models.PositiveSmallIntegerField()
    started_on = models.DateField(_("start date"))
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    contracted_hours = models.DecimalField(
        _("contracted hours per week"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0)],
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["team", "seat"]
        constraints = [
            models.CheckConstraint(
                condition=Q(seat__gte=1, seat__lte=Team.MAX_NURSES), name="membership_seat_in_range"
            ),
            models.UniqueConstraint(
                fields=["team", "seat"],
                condition=ACTIVE,
                name="membership_one_nurse_per_seat",
                violation_error_message=_("That seat in the team is already taken."),
            ),
            models.UniqueConstraint(
                fields=["nurse"],
                condition=ACTIVE,
                name="membership_one_active_team",
                violation_error_message=_("This nurse already belongs to an active team."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="membership_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(contracted_hours__gte=0) & Q(contracted_hours__lte=60),
                name="membership_hours_in_range",
                violation_error_message=_("Contracted hours must be between 0 and 60 a week."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nurse} in {self.team} (seat {self.seat})"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class CoachAssignment(TimeStampedModel):
    """A coach supports a team. Coaches are not managers: they read and talk, they do not edit."""

    coach = models.ForeignKey(User, on_delete=models.CASCADE, related_name="coach_assignments")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="coach_assignments")

    class Meta:
        ordering = ["team", "coach"]
        constraints = [
            models.UniqueConstraint(fields=["coach", "team"], name="coachassignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.coach} coaches {self.team}"
