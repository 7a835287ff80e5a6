"""Accounts, neighbourhoods, teams and memberships.

The 12-nurse cap is a database fact: each active membership holds a seat 1..12 and a partial
unique constraint on (team, seat) makes a 13th active row impossible, whichever path writes it.
"""

import datetime as dt
import re
import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
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


# --- the organisation's own details (issue 19, item 7) -----------------------------------------

KVK_FORMAT = r"^[0-9]{8}$"
AGB_FORMAT = r"^[0-9]{8}$"
AGB_PLACEHOLDER = "00000000"  # what settings.ORGANISATION_AGB held for "not set"
# Stored as typed by a bank, without spaces and in capitals: NL91ABNA0417164300.
IBAN_FORMAT = r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$"
ORG_POSTCODE_FORMAT = r"^[1-9][0-9]{3} [A-Z]{2}$"
KVK_INVALID = _("A KvK number is 8 digits.")
AGB_INVALID = _("An AGB code is 8 digits.")
IBAN_INVALID = _("This is not a valid IBAN: check the number (it fails the IBAN check digits).")
ORG_POSTCODE_INVALID = _("A Dutch postcode is 4 digits and 2 letters, e.g. 1234 AB.")
PAYMENT_TERM_RANGE = _("The payment term is between 1 and 365 days.")
VAT_NOTE_DEFAULT = "Vrijgesteld van btw op grond van artikel 11, lid 1, onderdeel g, Wet OB 1968."


def iban_is_valid(iban: str) -> bool:
    """ISO 13616 check: move the first four characters to the end, letters to 10..35, and the
    number modulo 97 must be 1."""
    if not re.match(IBAN_FORMAT, iban):
        return False
    moved = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in moved)
    return int(digits) % 97 == 1


def iban_validator(value: str) -> None:
    if value and not iban_is_valid(value):
        raise ValidationError(IBAN_INVALID, code="iban_invalid")


def nonempty_matches(field: str, pattern: str) -> Q:
    return Q(**{field: ""}) | Q(**{f"{field}__regex": pattern})


class Organisation(TimeStampedModel):
    """The care provider's own details, printed on invoices and sent in declarations.

    One row (`key` is always 1, unique): `teams.selectors.organisation_details` reads it and
    `teams.services.organisation_update` writes it. Empty strings mean "not set yet"; the
    set-up checklist and the billing pre-flight say what is missing. The formats are database
    checks; the IBAN's check digits (mod 97) are checked by the model's validator.
    """

    # What its page and API show and change, in their order.
    DETAIL_FIELDS = (
        "name",
        "address",
        "postcode",
        "city",
        "kvk_number",
        "agb_code",
        "iban",
        "vat_exemption_note",
        "payment_term_days",
    )

    key = models.PositiveSmallIntegerField(default=1, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=120, blank=True)
    postcode = models.CharField(
        _("postcode"),
        max_length=7,
        blank=True,
        validators=[RegexValidator(ORG_POSTCODE_FORMAT, ORG_POSTCODE_INVALID)],
    )
    city = models.CharField(_("city"), max_length=80, blank=True)
    kvk_number = models.CharField(
        _("KvK number"),
        max_length=8,
        blank=True,
        validators=[RegexValidator(KVK_FORMAT, KVK_INVALID)],
    )
    agb_code = models.CharField(
        _("AGB code"),
        max_length=8,
        blank=True,
        validators=[RegexValidator(AGB_FORMAT, AGB_INVALID)],
    )
    iban = models.CharField(_("IBAN"), max_length=34, blank=True, validators=[iban_validator])
    vat_exemption_note = models.CharField(
        _("VAT exemption note"), max_length=200, blank=True, default=VAT_NOTE_DEFAULT
    )
    payment_term_days = models.PositiveSmallIntegerField(
        _("payment term (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    updated_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(condition=Q(key=1), name="organisation_single_row"),
            models.CheckConstraint(
                condition=nonempty_matches("kvk_number", KVK_FORMAT),
                name="organisation_kvk_format",
                violation_error_message=KVK_INVALID,
            ),
            models.CheckConstraint(
                condition=nonempty_matches("agb_code", AGB_FORMAT),
                name="organisation_agb_format",
                violation_error_message=AGB_INVALID,
            ),
            models.CheckConstraint(
                condition=nonempty_matches("iban", IBAN_FORMAT),
                name="organisation_iban_format",
                violation_error_message=IBAN_INVALID,
            ),
            models.CheckConstraint(
                condition=nonempty_matches("postcode", ORG_POSTCODE_FORMAT),
                name="organisation_postcode_format",
                violation_error_message=ORG_POSTCODE_INVALID,
            ),
            models.CheckConstraint(
                condition=Q(payment_term_days__gte=1, payment_term_days__lte=365),
                name="organisation_payment_term_range",
                violation_error_message=PAYMENT_TERM_RANGE,
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(_("(organisation name not set)"))

    @property
    def agb_is_set(self) -> bool:
        return bool(re.match(AGB_FORMAT, self.agb_code)) and self.agb_code != AGB_PLACEHOLDER

    @property
    def is_complete(self) -> bool:
        """Everything an invoice needs."""
        return all(
            (self.name, self.address, self.postcode, self.city, self.kvk_number, self.iban)
        ) and (self.agb_is_set)

    @property
    def iban_display(self) -> str:
        """In groups of four, as banks print it: NL91 ABNA 0417 1643 00."""
        return " ".join(self.iban[i : i + 4] for i in range(0, len(self.iban), 4))
