"""The vocabulary is read-only in the app: admins may look, never add, change or delete."""

from django.contrib import admin

from buurtzorg.admin import ReadOnlyAdmin
from omaha.models import (
    Domain,
    InterventionCategory,
    InterventionTarget,
    ModifierTerm,
    Problem,
    RatingConcept,
    RatingScoreLabel,
    SignSymptom,
)


@admin.register(Domain)
class DomainAdmin(ReadOnlyAdmin):
    list_display = ["number", "code", "name"]


@admin.register(Problem)
class ProblemAdmin(ReadOnlyAdmin):
    list_display = ["number", "code", "name", "domain"]
    list_select_related = ["domain"]
    search_fields = ["name", "code"]


@admin.register(SignSymptom)
class SignSymptomAdmin(ReadOnlyAdmin):
    list_display = ["key", "name", "problem", "is_other"]
    list_select_related = ["problem"]
    search_fields = ["name", "key"]


@admin.register(InterventionTarget)
class InterventionTargetAdmin(ReadOnlyAdmin):
    list_display = ["number", "code", "name", "is_other"]
    search_fields = ["name", "code"]


admin.site.register(InterventionCategory, ReadOnlyAdmin)
admin.site.register(ModifierTerm, ReadOnlyAdmin)
admin.site.register(RatingConcept, ReadOnlyAdmin)


@admin.register(RatingScoreLabel)
class RatingScoreLabelAdmin(ReadOnlyAdmin):
    list_select_related = ["concept"]
