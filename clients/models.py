"""Clients and their Omaha record: problems, signs/symptoms, care plan and outcome ratings.

Rules a single row can carry are database constraints (BSN shape and 11-test, postcode shape,
dates in order, ratings 1..5, one active instance of a problem per client). Rules that span
rows (signs only on an actual problem, the sign belongs to the problem) live in
`clients.services`, under a lock on the parent row. Access goes only through
`clients.selectors`.
"""

from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Cast, Length, Mod, Substr
from django.db.models.lookups import Exact, LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtzorg.models import PublicModel
from omaha.models import (
    InterventionCategory,
    InterventionTarget,
    Problem,
    Scope,
    Severity,
    SignSymptom,
)
from teams.models import Role, Team, team_scope_q
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

BSN_INVALID = _("A BSN is 9 digits and must pass the 11-test (elfproef).")
BSN_REQUIRED = _("A client needs a BSN; only an erased record has none.")
POSTCODE_INVALID = _('A Dutch postcode looks like "1234 AB".')
UZOVI_INVALID = _("A UZOVI code is 4 digits.")
AGB_INVALID = _("An AGB code is 8 digits.")
OTHER_SIGN_NEEDS_TEXT = _('The "other" sign/symptom needs a description and a reason.')
OTHER_TARGET_NEEDS_TEXT = _('The "other" target needs a description.')
# Names of a record anonymised after its retention term (scheduling.privacy); such a record is
# the only one without a BSN. Stored data (a constraint names it), so never translated.
ERASED_NAME = "[erased]"
# The insurer's declaration file (AW319, record 02) has 15 places for the policy number.
POLICY_NUMBER_LENGTH = 15
KEY_INFO_MAX_LENGTH = 200  # key safe, allergies, alarm: one line on My day
BIRTH_IN_FUTURE = _("The date of birth cannot be in the future.")
ADMISSION_BEFORE_BIRTH = _("The admission date cannot be before the date of birth.")
POLICY_NUMBER_TOO_LONG = _(
    "A policy number has at most 15 characters (the field in the insurer's declaration file)."
)

BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
POSTCODE_REGEX = r"^[1-9][0-9]{3} [A-Z]{2}$"


def bsn_is_valid(value: str) -> bool:
    """The Dutch 11-test: 9 digits, weighted sum 9..2 and -1 divisible by 11, not all zeros."""
    if len(value) != 9 or not value.isascii() or not value.isdigit() or value == "000000000":
        return False
    return sum(int(d) * w for d, w in zip(value, BSN_WEIGHTS, strict=True)) % 11 == 0


def validate_bsn(value: str) -> None:
    if not bsn_is_valid(value or ""):
        raise ValidationError(BSN_INVALID, code="invalid_bsn")


def normalise_postcode(value: str) -> str:
    """'1091ab', ' 1091 AB ' -> '1091 AB'. Anything else is returned stripped, for validation."""
    compact = "".join((value or "").split()).upper()
    if len(compact) == 6:
        return f"{compact[:4]} {compact[4:]}"
    return (value or "").strip()


postcode_validator = RegexValidator(POSTCODE_REGEX, POSTCODE_INVALID, code="invalid_postcode")


def bsn_eleven_test_condition() -> Q:
    """The 11-test as a SQL condition, so the database refuses a bad BSN from any write path."""
    total = sum(
        (
            Cast(Substr("bsn", position + 1, 1), models.IntegerField()) * Value(weight)
            for position, weight in enumerate(BSN_WEIGHTS)
        ),
        start=Value(0),
    )
    return (
        Q(bsn__regex=r"^[0-9]{9}$")
        & ~Q(bsn="000000000")
        & Q(Exact(Mod(total, Value(11)), Value(0)))
    )


class Insurer(PublicModel):
    name = models.CharField(_("name"), max_length=120)
    uzovi = models.CharField(
        _("UZOVI code"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^[0-9]{4}$", UZOVI_INVALID)],
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(uzovi__regex=r"^[0-9]{4}$"),
                name="insurer_uzovi_4_digits",
                violation_error_message=UZOVI_INVALID,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.uzovi})"


class ClientStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DISCHARGED = "discharged", _("Discharged")


class ClientQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> "ClientQuerySet":
        """Clients `user` may see at all (rows, not yet which parts of them).

        Nurses: the clients of her active team; coaches: of the teams she coaches (both
        `teams.models.team_scope_q`); back office: every client, for billing (administrative
        fields only, which `clients.selectors` decides); administrators and anyone anonymous
        or deactivated: none.
        """
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.role == Role.BACK_OFFICE:
            return self.all()
        scope = team_scope_q(user, prefix="team__")
        return self.none() if scope is None else self.filter(scope)


class Client(DutchNameMixin, PublicModel):
    """A person in care. The team is responsible; the postcode suggests which team that is.

    The name is Dutch-shaped (teams.names): `first_name` is the roepnaam, `last_name` the
    achternaam without its tussenvoegsel `name_prefix` (so the list's order and its index put
    "de Jong" under J), plus `initials` and `sex` for the insurer's declaration.
    """

    initials = models.CharField(
        _("initials"),
        max_length=INITIALS_MAX_LENGTH,
        blank=True,
        validators=[initials_validator],
    )
    first_name = models.CharField(_("first name"), max_length=80)
    name_prefix = models.CharField(
        _("name prefix"),
        max_length=NAME_PREFIX_MAX_LENGTH,
        blank=True,
        validators=[name_prefix_validator],
    )
    last_name = models.CharField(_("last name"), max_length=120)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    date_of_birth = models.DateField(_("date of birth"))
    # NULL only once the record is erased (see the constraint `client_bsn_unless_erased`):
    # every write path of the app requires a valid BSN (blank=False, forms and services).
    bsn = models.CharField(
        _("BSN"), max_length=9, unique=True, null=True, validators=[validate_bsn]
    )
    street = models.CharField(_("street"), max_length=120)
    house_number = models.CharField(_("house number"), max_length=12)
    postcode = models.CharField(
        _("postcode"), max_length=7, validators=[postcode_validator], db_index=True
    )
    city = models.CharField(_("city"), max_length=80)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # What the nurse needs at the door (My day's key-info line): short free text, blank when
    # there is nothing to know. Care data: exported and erased with the record.
    key_safe_note = models.CharField(_("key safe"), max_length=KEY_INFO_MAX_LENGTH, blank=True)
    allergies = models.CharField(_("allergies"), max_length=KEY_INFO_MAX_LENGTH, blank=True)
    alarm_note = models.CharField(_("alarm"), max_length=KEY_INFO_MAX_LENGTH, blank=True)
    insurer = models.ForeignKey(
        Insurer, on_delete=models.PROTECT, related_name="clients", verbose_name=_("insurer")
    )
    # At most POLICY_NUMBER_LENGTH (the declaration file's field) by the check constraint
    # below; the column stays 30 wide so the change history's older snapshots still fit.
    policy_number = models.CharField(_("policy number"), max_length=30)
    gp_name = models.CharField(_("GP name"), max_length=120, blank=True)
    gp_agb = models.CharField(
        _("GP AGB code"),
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{8}$", AGB_INVALID)],
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="clients", verbose_name=_("team")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ClientStatus.choices, default=ClientStatus.ACTIVE
    )
    admitted_on = models.DateField(_("admitted on"))
    discharged_on = models.DateField(_("discharged on"), null=True, blank=True)
    discharge_reason = models.CharField(_("discharge reason"), max_length=200, blank=True)

    objects = ClientQuerySet.as_manager()

    # Display-only rows a selector attaches for one page (annotations, not columns): the record
    # page's care indications and network (`client_record_get_visible`), the list's active
    # problem names (`client_list_with_problem_names`).
    indication_rows: list[SimpleNamespace]
    network_rows: list[SimpleNamespace]
    active_problem_names: list[str]

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["team", "status", "last_name"], name="client_team_status_name"),
            # Back office lists every client (100,000+) in this order, 25 a page: without the
            # index each page sorts the whole table (~260 ms at 60,000 clients).
            models.Index(fields=["last_name", "first_name", "id"], name="client_name_order"),
            # The list search (icontains on names and city, a prefix on the postcode) uses
            # trigram indexes, made on PostgreSQL only by migration 0003 (raw SQL: SQLite has
            # no GIN), so they are not listed here.
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(bsn__isnull=True) | bsn_eleven_test_condition(),
                name="client_bsn_eleven_test",
                violation_error_message=BSN_INVALID,
            ),
            models.CheckConstraint(
                condition=Q(bsn__isnull=False)
                | Q(
                    first_name=ERASED_NAME,
                    last_name=ERASED_NAME,
                    initials="",
                    name_prefix="",
                    sex=Sex.UNKNOWN,
                    status=ClientStatus.DISCHARGED,
                ),
                name="client_bsn_unless_erased",
                violation_error_message=BSN_REQUIRED,
            ),
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="client_sex_known"),
            models.CheckConstraint(condition=initials_check(), name="client_initials_format"),
            models.CheckConstraint(condition=name_prefix_check(), name="client_name_prefix_format"),
            models.CheckConstraint(
                condition=Q(postcode__regex=POSTCODE_REGEX),
                name="client_postcode_format",
                violation_error_message=POSTCODE_INVALID,
            ),
            models.CheckConstraint(
                condition=Q(gp_agb="") | Q(gp_agb__regex=r"^[0-9]{8}$"),
                name="client_gp_agb_8_digits",
                violation_error_message=AGB_INVALID,
            ),
            models.CheckConstraint(
                condition=Q(status__in=ClientStatus.values), name="client_status_known"
            ),
            models.CheckConstraint(
                condition=Q(discharged_on__isnull=True) | Q(discharged_on__gte=F("admitted_on")),
                name="client_discharge_after_admission",
                violation_error_message=_("The discharge date cannot be before admission."),
            ),
            models.CheckConstraint(
                condition=(Q(status=ClientStatus.ACTIVE) & Q(discharged_on__isnull=True))
                | (Q(status=ClientStatus.DISCHARGED) & Q(discharged_on__isnull=False)),
                name="client_discharge_date_iff_discharged",
                violation_error_message=_("A discharged client needs a discharge date."),
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("policy_number"), POLICY_NUMBER_LENGTH),
                name="client_policy_number_fits_declaration",
                violation_error_message=POLICY_NUMBER_TOO_LONG,
            ),
            # "Born in the future" needs today's date, which a CHECK cannot hold (not
            # immutable); clean() refuses it. Admission before birth is a row rule.
            models.CheckConstraint(
                condition=Q(admitted_on__gte=F("date_of_birth")),
                name="client_admitted_after_birth",
                violation_error_message=ADMISSION_BEFORE_BIRTH,
            ),
        ]

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            errors["date_of_birth"] = BIRTH_IN_FUTURE
        if self.date_of_birth and self.admitted_on and self.admitted_on < self.date_of_birth:
            errors["admitted_on"] = ADMISSION_BEFORE_BIRTH
        if errors:
            raise ValidationError(errors)

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("clients:client-detail", args=[self.public_id])

    @property
    def full_name(self) -> str:
        """Kept for the places that used it before names were Dutch-shaped: `display_name`."""
        return self.display_name

    @property
    def postcode_area(self) -> str:
        """The 4-digit area, which places the client in a neighbourhood."""
        return self.postcode[:4]

    @property
    def is_active(self) -> bool:
        return self.status == ClientStatus.ACTIVE

    @property
    def address_line(self) -> str:
        """One line a map search finds: "Dapperstraat 12, 1091 AB Amsterdam"."""
        return f"{self.street} {self.house_number}, {self.postcode} {self.city}"

    @property
    def has_key_info(self) -> bool:
        """Something to know at the door (My day's key-info line)."""
        return bool(self.key_safe_note or self.allergies or self.alarm_note)


class CareIndication(PublicModel):
    """Care granted (hours a week and products) for a period; the basis for billing."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="indications")
    hours_per_week = models.DecimalField(_("hours per week"), max_digits=5, decimal_places=2)
    products = models.CharField(
        _("care products granted"),
        max_length=300,
        help_text=_("For example: personal care, nursing"),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["client", "-valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0) & Q(hours_per_week__lte=168),
                name="careindication_hours_in_range",
                violation_error_message=_("Hours per week must be above 0 and at most 168."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="careindication_until_after_from",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hours_per_week} h/week from {self.valid_from}"


class NetworkContact(PublicModel):
    """Someone in the client's informal network (family, neighbour, friend)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="network")
    name = models.CharField(_("name"), max_length=120)
    relation = models.CharField(_("relation"), max_length=60)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    helps_with = models.CharField(_("helps with"), max_length=200, blank=True)
    available_when = models.CharField(_("when"), max_length=120, blank=True)

    class Meta:
        ordering = ["client", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.relation})"


class ProblemStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RESOLVED = "resolved", _("Resolved")


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    LOW = "low", _("Low")


class ClientProblem(PublicModel):
    """An Omaha problem identified for a client, with its scope and severity modifiers."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="problems")
    problem = models.ForeignKey(
        Problem, on_delete=models.PROTECT, related_name="client_problems", verbose_name=_("problem")
    )
    scope = models.CharField(_("scope"), max_length=12, choices=Scope.choices)
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices)
    priority = models.CharField(
        _("priority"), max_length=4, choices=Priority.choices, default=Priority.HIGH
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProblemStatus.choices, default=ProblemStatus.ACTIVE
    )
    identified_on = models.DateField(_("identified on"))
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    identified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    # Display-only, for the record page (not columns): its signs and care plan as rows and
    # its ratings in date order (`client_record_problems`); its card's links and the ratings'
    # trend chart and table rows as markup (the page's view, clients.charts).
    sign_rows: list[SimpleNamespace]
    intervention_rows: list[SimpleNamespace]
    rating_list: list["OutcomeRating"]
    links: dict[str, str]
    chart_html: str
    rating_rows_html: str

    class Meta:
        ordering = ["client", "status", "problem__number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "problem"],
                condition=Q(status=ProblemStatus.ACTIVE),
                name="clientproblem_one_active_instance",
                violation_error_message=_("This problem is already active for this client."),
            ),
            models.CheckConstraint(
                condition=Q(scope__in=Scope.values), name="clientproblem_scope_known"
            ),
            models.CheckConstraint(
                condition=Q(severity__in=Severity.values), name="clientproblem_severity_known"
            ),
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values), name="clientproblem_priority_known"
            ),
            models.CheckConstraint(
                condition=(Q(status=ProblemStatus.ACTIVE) & Q(resolved_on__isnull=True))
                | (Q(status=ProblemStatus.RESOLVED) & Q(resolved_on__isnull=False)),
                name="clientproblem_resolved_date_iff_resolved",
                violation_error_message=_("A resolved problem needs a resolution date."),
            ),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=F("identified_on")),
                name="clientproblem_resolved_after_identified",
                violation_error_message=_("A problem cannot be resolved before it was identified."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.problem.name} ({self.get_severity_display()})"

    @property
    def is_actual(self) -> bool:
        return self.severity == Severity.ACTUAL


class ClientProblemSign(PublicModel):
    """A sign/symptom observed for an actual problem. "Other" carries a text and a reason."""

    client_problem = models.ForeignKey(
        ClientProblem, on_delete=models.CASCADE, related_name="signs"
    )
    sign = models.ForeignKey(
        SignSymptom, on_delete=models.PROTECT, related_name="+", verbose_name=_("sign/symptom")
    )
    other_text = models.CharField(_("other: description"), max_length=200, blank=True)
    other_reason = models.CharField(
        _("other: why no listed sign/symptom fits"), max_length=300, blank=True
    )

    class Meta:
        ordering = ["client_problem", "sign__number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client_problem", "sign"], name="clientproblemsign_unique"
            ),
            # The row itself cannot see whether its sign is "other", but it can refuse half an
            # explanation: text and reason come together or not at all.
            models.CheckConstraint(
                condition=(Q(other_text="") & Q(other_reason=""))
                | (~Q(other_text="") & ~Q(other_reason="")),
                name="clientproblemsign_other_text_with_reason",
                violation_error_message=OTHER_SIGN_NEEDS_TEXT,
            ),
        ]

    def __str__(self) -> str:
        return self.other_text if self.other_text else str(self.sign)

    def clean(self) -> None:
        if self.sign_id is None:
            return
        sign = self.sign
        if sign.is_other and not (self.other_text.strip() and self.other_reason.strip()):
            raise ValidationError({"other_text": OTHER_SIGN_NEEDS_TEXT})
        if not sign.is_other and (self.other_text or self.other_reason):
            raise ValidationError(
                {"other_text": _('Only the "other" sign/symptom takes a description.')}
            )
        if self.client_problem_id and sign.problem_id != self.client_problem.problem_id:
            raise ValidationError({"sign": _("This sign/symptom belongs to another problem.")})


class Intervention(PublicModel):
    """One line of the care plan: category + target + what exactly, for one client problem."""

    client_problem = models.ForeignKey(
        ClientProblem, on_delete=models.CASCADE, related_name="interventions"
    )
    category = models.ForeignKey(
        InterventionCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("category")
    )
    target = models.ForeignKey(
        InterventionTarget, on_delete=models.PROTECT, related_name="+", verbose_name=_("target")
    )
    target_other_text = models.CharField(_("other target"), max_length=120, blank=True)
    description = models.TextField(_("client-specific description"))
    frequency = models.CharField(_("intended frequency"), max_length=80, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["client_problem", "-is_active", "category__number", "target__number", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(description=""),
                name="intervention_description_required",
                violation_error_message=_("Describe what the intervention is for this client."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} - {self.target_other_text or self.target}"

    def clean(self) -> None:
        if self.target_id is None:
            return
        if self.target.is_other and not self.target_other_text.strip():
            raise ValidationError({"target_other_text": OTHER_TARGET_NEEDS_TEXT})
        if not self.target.is_other and self.target_other_text:
            raise ValidationError(
                {"target_other_text": _('Only the "other" target takes a description.')}
            )


class RatingMoment(models.TextChoices):
    ADMISSION = "admission", _("Admission")
    INTERIM = "interim", _("Interim")
    DISCHARGE = "discharge", _("Discharge")


def _one_to_five(field: str) -> Q:
    return Q(**{f"{field}__gte": 1, f"{field}__lte": 5})


def _optional_one_to_five(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | _one_to_five(field)


RATING_OUT_OF_RANGE = _("A rating is a whole number from 1 to 5.")


class OutcomeRating(PublicModel):
    """A dated Knowledge/Behavior/Status rating of one client problem.

    Append-only: a new rating is a new row; the services offer no update, so the trend over
    time is never overwritten.
    """

    client_problem = models.ForeignKey(
        ClientProblem, on_delete=models.CASCADE, related_name="ratings"
    )
    rated_on = models.DateField(_("rated on"))
    moment = models.CharField(_("moment"), max_length=10, choices=RatingMoment.choices)
    knowledge = models.PositiveSmallIntegerField(_("knowledge"))
    behavior = models.PositiveSmallIntegerField(_("behavior"))
    status = models.PositiveSmallIntegerField(_("status"))
    expected_knowledge = models.PositiveSmallIntegerField(
        _("expected knowledge"), null=True, blank=True
    )
    expected_behavior = models.PositiveSmallIntegerField(
        _("expected behavior"), null=True, blank=True
    )
    expected_status = models.PositiveSmallIntegerField(_("expected status"), null=True, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="outcome_ratings"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["client_problem", "rated_on", "id"]
        constraints = [
            *[
                models.CheckConstraint(
                    condition=_one_to_five(field),
                    name=f"outcomerating_{field}_1_to_5",
                    violation_error_message=RATING_OUT_OF_RANGE,
                )
                for field in ("knowledge", "behavior", "status")
            ],
            *[
                models.CheckConstraint(
                    condition=_optional_one_to_five(f"expected_{field}"),
                    name=f"outcomerating_expected_{field}_1_to_5",
                    violation_error_message=RATING_OUT_OF_RANGE,
                )
                for field in ("knowledge", "behavior", "status")
            ],
            models.CheckConstraint(
                condition=Q(moment__in=RatingMoment.values), name="outcomerating_moment_known"
            ),
            models.UniqueConstraint(
                fields=["client_problem"],
                condition=Q(moment=RatingMoment.ADMISSION),
                name="outcomerating_one_admission",
                violation_error_message=_("This problem already has an admission rating."),
            ),
            models.UniqueConstraint(
                fields=["client_problem"],
                condition=Q(moment=RatingMoment.DISCHARGE),
                name="outcomerating_one_discharge",
                violation_error_message=_("This problem already has a discharge rating."),
            ),
        ]

    def __str__(self) -> str:
        return f"K{self.knowledge} B{self.behavior} S{self.status} on {self.rated_on}"
