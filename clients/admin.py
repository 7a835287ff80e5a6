"""Only insurers are in the Django admin. Client records are clinical: the administrator role
manages the system but is not a clinician, so records are reached only through the app's
role-scoped selectors (and every access is audited there). Insurers are not deleted here: the
delete page would list the insurer's clients by name."""

from django.contrib import admin

from buurtzorg.admin import ConfigAdmin
from clients.models import Insurer


@admin.register(Insurer)
class InsurerAdmin(ConfigAdmin):
    list_display = ["name", "uzovi", "is_demo"]
    search_fields = ["name", "uzovi"]
