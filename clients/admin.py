"""Only insurers are in the Django admin. Client records are clinical: the administrator role
manages the system but is not a clinician, so records are reached only through the app's
role-scoped selectors (and every access is audited there)."""

from django.contrib import admin

from clients.models import Insurer


@admin.register(Insurer)
class InsurerAdmin(admin.ModelAdmin):
    list_display = ["name", "uzovi", "is_demo"]
    search_fields = ["name", "uzovi"]
