"""The vocabulary is read-only in the app: admins may look, never add, change or delete."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

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


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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
admin.site.register(RatingScoreLabel, ReadOnlyAdmin)
