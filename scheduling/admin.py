"""Scheduling in the Django admin: care services are configuration; the rota's rules (coverage
rules, cover arrangements) are set on the team pages through `scheduling.services` and only shown
here. Shifts, leave and visits are not registered: they carry notes about nurses and clients."""

from django.contrib import admin

from buurtzorg.admin import ConfigAdmin, ReadOnlyAdmin
from scheduling.models import CareService, CoverageRule, CoverArrangement


@admin.register(CareService)
class CareServiceAdmin(ConfigAdmin):
    """Not deleted here: the delete page would list the visits (named after their client)."""

    list_display = ["code", "name", "is_billable", "is_example"]


@admin.register(CoverageRule)
class CoverageRuleAdmin(ReadOnlyAdmin):
    list_display = ["team", "starts_at", "ends_at", "min_nurses"]
    list_select_related = ["team"]


@admin.register(CoverArrangement)
class CoverArrangementAdmin(ReadOnlyAdmin):
    list_display = ["covering_team", "covered_team", "valid_from", "valid_until"]
    list_select_related = ["covering_team", "covered_team"]
