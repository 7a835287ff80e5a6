"""The Omaha System vocabulary (2005 revision, public domain), read-only in the app.

Every term keeps its official Omaha `code` (stable since 1992, so problem codes run 01..50 with
gaps) and its printed position `number`, which is the display order. The rows are loaded from
`omaha/data/*.json` by a data migration (and `manage.py load_omaha`); nothing in the app writes
them. Codes retired in 2005 are refused by check constraints so they can never be offered.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from buurtzorg.models import TimeStampedModel

# HL7 code system URI for the Omaha System (used by the JSON export).
OMAHA_SYSTEM_URI = "http://terminology.hl7.org/CodeSystem/oms"

# Codes from the 1992 version that are not part of the 2005 revision (see data/SOURCE.md).
# They are gaps in the numbering: never offered, never reused.
RETIRED_PROBLEM_CODES = ("05", "18", "22", "32", "33", "34", "43", "44")
RETIRED_TARGET_CODES = ("06", "23", "26", "36", "37", "43", "57")

TWO_DIGITS = r"^[0-9]{2}$"


class TranslatedTerm(models.Model):
    """A term's labels in other languages than the published English.

    `translations` holds {"nl": {"name": ..., "definition": ...}} as loaded from
    `omaha/data/translations/<language>.json` by the same loader as the English terms.
    `local_name` is the label in the active language, falling back to the English one, so an
    empty slot (no licensed Dutch Omaha translation is shipped, see omaha/data/SOURCE.md)
    shows the English term.
    """

    LABEL_FIELD = "name"

    translations = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        abstract = True

    def translated(self, field: str, language: str | None = None) -> str:
        code = (language or get_language() or "").lower().split("-")[0]
        value = (self.translations or {}).get(code, {}).get(field)
        return value or getattr(self, field)

    @property
    def local_name(self) -> str:
        return self.translated(self.LABEL_FIELD)

    @property
    def local_definition(self) -> str:
        return self.translated("definition")


class Scope(models.TextChoices):
    """Modifier: whose problem it is."""

    INDIVIDUAL = "individual", _("Individual")
    FAMILY = "family", _("Family")
    COMMUNITY = "community", _("Community")


class Severity(models.TextChoices):
    """Modifier: how far the problem has gone. Signs/symptoms exist only for ACTUAL."""

    HEALTH_PROMOTION = "health_promotion", _("Health promotion")
    POTENTIAL = "potential", _("Potential")
    ACTUAL = "actual", _("Actual")


class ModifierKind(models.TextChoices):
    SCOPE = "scope", _("Scope")
    SEVERITY = "severity", _("Severity")


class RatingConceptCode(models.TextChoices):
    KNOWLEDGE = "K", _("Knowledge")
    BEHAVIOR = "B", _("Behavior")
    STATUS = "S", _("Status")


class Domain(TimeStampedModel, TranslatedTerm):
    code = models.CharField(max_length=2, unique=True)
    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=60, unique=True)
    definition = models.TextField()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=TWO_DIGITS), name="domain_code_format"),
        ]

    def __str__(self) -> str:
        return self.local_name


class Problem(TimeStampedModel, TranslatedTerm):
    code = models.CharField(max_length=2, unique=True)
    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=80, unique=True)
    definition = models.TextField()
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="problems")

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=TWO_DIGITS), name="problem_code_format"),
            models.CheckConstraint(
                condition=~Q(code__in=RETIRED_PROBLEM_CODES), name="problem_code_not_retired"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=42), name="problem_number_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.local_name}"


class SignSymptom(TimeStampedModel, TranslatedTerm):
    problem = models.ForeignKey(Problem, on_delete=models.PROTECT, related_name="signs")
    code = models.CharField(max_length=2)
    # "<problem code>.<sign code>", unique across the whole scheme (NZHTS writes SS0211).
    key = models.CharField(max_length=5, unique=True)
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=160)
    is_other = models.BooleanField(default=False)

    class Meta:
        ordering = ["problem__number", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=TWO_DIGITS), name="signsymptom_code_format"
            ),
            models.UniqueConstraint(
                fields=["problem", "code"], name="signsymptom_code_per_problem"
            ),
            models.UniqueConstraint(
                fields=["problem", "number"], name="signsymptom_number_per_problem"
            ),
            models.UniqueConstraint(
                fields=["problem"], condition=Q(is_other=True), name="signsymptom_one_other"
            ),
        ]

    def __str__(self) -> str:
        return self.local_name


class ModifierTerm(TimeStampedModel, TranslatedTerm):
    """Definitions of the six modifier terms; the codes are the `Scope`/`Severity` values."""

    kind = models.CharField(max_length=10, choices=ModifierKind.choices)
    code = models.CharField(max_length=20)
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=40)
    definition = models.TextField()

    class Meta:
        ordering = ["kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="modifierterm_unique_code"),
            models.CheckConstraint(
                condition=(Q(kind=ModifierKind.SCOPE, code__in=Scope.values))
                | Q(kind=ModifierKind.SEVERITY, code__in=Severity.values),
                name="modifierterm_code_known",
            ),
        ]

    def __str__(self) -> str:
        return self.local_name


class InterventionCategory(TimeStampedModel, TranslatedTerm):
    code = models.CharField(max_length=2, unique=True)
    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=60, unique=True)
    definition = models.TextField()

    class Meta:
        ordering = ["number"]
        verbose_name_plural = _("intervention categories")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=TWO_DIGITS), name="interventioncategory_code_format"
            ),
        ]

    def __str__(self) -> str:
        return self.local_name


class InterventionTarget(TimeStampedModel, TranslatedTerm):
    code = models.CharField(max_length=2, unique=True)
    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=80, unique=True)
    definition = models.TextField()
    is_other = models.BooleanField(default=False)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=TWO_DIGITS), name="interventiontarget_code_format"
            ),
            models.CheckConstraint(
                condition=~Q(code__in=RETIRED_TARGET_CODES),
                name="interventiontarget_code_not_retired",
            ),
            models.UniqueConstraint(
                fields=["is_other"], condition=Q(is_other=True), name="interventiontarget_one_other"
            ),
        ]

    def __str__(self) -> str:
        return self.local_name


class RatingConcept(TimeStampedModel, TranslatedTerm):
    """Knowledge, Behavior, Status of the Problem Rating Scale for Outcomes."""

    code = models.CharField(max_length=1, unique=True, choices=RatingConceptCode.choices)
    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=20, unique=True)
    definition = models.TextField()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__in=RatingConceptCode.values), name="ratingconcept_code_known"
            ),
        ]

    def __str__(self) -> str:
        return self.local_name


class RatingScoreLabel(TimeStampedModel, TranslatedTerm):
    """The label of each score 1..5 of a concept (1 most negative, 5 most positive)."""

    LABEL_FIELD = "label"

    concept = models.ForeignKey(RatingConcept, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=60)

    class Meta:
        ordering = ["concept__number", "score"]
        constraints = [
            models.UniqueConstraint(fields=["concept", "score"], name="ratingscorelabel_unique"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="ratingscorelabel_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.concept.code}{self.score} {self.local_name}"
