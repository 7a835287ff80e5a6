"""The Django admin is for configuration; these bases keep every app's admin to that.

The admin is open to superusers only (`buurtzorg.urls`). It never becomes a second way to write
past the services, to read care data or to read secrets:

- `ReadOnlyAdmin`: for models whose rules live in a service the admin does not call (or whose
  rows are written by the app itself): look, never add, change or delete.
- `ServiceAdmin`: add and change save through the app's service. The service runs as the last
  step of form validation, so its `ValidationError` lands on the form field it names (or on the
  form) and the page is shown again with everything the superuser typed, as on the app's pages.
- Neither deletes: the delete page of most configuration rows would list what depends on them
  (clients by name, visits named after their client), and no service deletes them.

Clinical, messaging and care-data models are not registered at all, and the third-party admins
that show secrets are replaced below: API tokens are not in the admin (a key shown is a key
that can be used as someone else; tokens are made by logging in to the API), and two-factor
devices show no key, can't be added or changed, and can be deleted so a lost phone can be
reset.
"""

from collections.abc import Callable
from typing import Any

import django_otp.plugins.otp_totp.admin  # noqa: F401  (registers first; replaced below)
import rest_framework.authtoken.admin  # noqa: F401  (registers TokenProxy; removed below)
from django import forms
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import TokenProxy


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the admin may look at, never add, change or delete."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    """Children shown on their parent's page, read-only."""

    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ConfigAdmin(admin.ModelAdmin):
    """Configuration without rules of its own: edited in place, never deleted here."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _errors_onto_form(form: forms.BaseForm, exc: ValidationError) -> None:
    """A service's error on the field it names when the form has that field, else on the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else NON_FIELD_ERRORS, errors)


class ServiceAdmin(admin.ModelAdmin):
    """Add and change call the app's service; the admin writes nothing itself.

    Subclasses implement `service_save(request, obj, data, change)` and return the saved row.
    `obj` is the row as loaded (unsaved on add); `data` is the form's cleaned data.
    """

    def service_save(
        self, request: HttpRequest, obj: Any, data: dict[str, Any], change: bool
    ) -> models.Model:
        raise NotImplementedError

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:
        base: Any = super().get_form(request, obj, change=change, **kwargs)
        save: Callable[..., models.Model] = self.service_save

        class ThroughServiceForm(base):
            instance: models.Model

            def _post_clean(self) -> None:
                # In place of ModelForm's own model validation: the service validates (and
                # full_cleans) and saves. A savepoint, so a refused call leaves nothing behind
                # inside the admin's request transaction.
                if self._errors:
                    return
                try:
                    with transaction.atomic():
                        self.instance = save(request, self.instance, self.cleaned_data, change)
                except ValidationError as exc:
                    _errors_onto_form(self, exc)

        ThroughServiceForm.__name__ = base.__name__
        return ThroughServiceForm

    def save_form(self, request: HttpRequest, form: Any, change: bool) -> Any:
        return form.instance  # saved by the service during validation

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Nothing left to write: the service saved `obj` while the form was validated."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Inlines of a service admin are read-only: nothing of theirs is written here (the
        admin's change message still asks each formset what it saved: nothing)."""
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


# --- third-party registrations ----------------------------------------------------------------

admin.site.unregister(TokenProxy)
admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    """Who has two-factor login: no key, no QR code, no adding; delete resets a lost phone."""

    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    list_select_related = ["user"]
    search_fields = ["user__username", "name"]
    readonly_fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
