from django.contrib import admin

from scheduling.models import CareService, CoverageRule, CoverArrangement, Leave, Shift


@admin.register(CareService)
class CareServiceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_billable", "is_example"]


@admin.register(CoverageRule)
class CoverageRuleAdmin(admin.ModelAdmin):
    list_display = ["team", "starts_at", "ends_at", "min_nurses"]


@admin.register(CoverArrangement)
class CoverArrangementAdmin(admin.ModelAdmin):
    list_display = ["covering_team", "covered_team", "valid_from", "valid_until"]


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = ["nurse", "team", "kind", "starts_at", "ends_at"]
    list_filter = ["team", "kind"]
    raw_id_fields = ["nurse"]

    # Bookings are written only by scheduling.services (overlap, leave and team checks).
    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Leave)
class LeaveAdmin(admin.ModelAdmin):
    list_display = ["nurse", "starts_at", "ends_at"]
