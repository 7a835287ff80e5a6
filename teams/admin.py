"""Accounts, neighbourhoods and teams in the Django admin: every write goes through
`teams.services`, so the admin keeps the same rules as the app's pages (a new team gets its
messaging space, a nurse in a team keeps her role until the membership ends). Memberships and
coach assignments are made on the team pages and only shown here."""

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from buurtzorg.admin import ReadOnlyAdmin, ReadOnlyInline, ServiceAdmin
from teams.models import CoachAssignment, Membership, Neighbourhood, PostcodeArea, Team, User
from teams.names import Sex
from teams.services import (
    neighbourhood_create,
    neighbourhood_update,
    parse_postcodes,
    team_create,
    team_update,
    user_create,
    user_update,
)


class UserAddForm(UserCreationForm):
    """Username, names, role and a password; the service checks the password's strength."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = (
            "username",
            "initials",
            "first_name",
            "name_prefix",
            "last_name",
            "sex",
            "email",
            "role",
        )


@admin.register(User)
class UserAdmin(ServiceAdmin, BaseUserAdmin):
    """Accounts through `user_create`/`user_update`. Superuser and staff flags are shown, not
    edited: they are granted with `manage.py createsuperuser`, not by another superuser's click.
    Groups and permissions are not used (the app decides by role)."""

    list_display = ["username", "sort_name", "role", "is_active", "is_superuser"]
    list_filter = ["role", "is_active", "is_superuser"]
    add_form = UserAddForm
    add_fieldsets = (
        (
            None,
            {
                "fields": [
                    "username",
                    "initials",
                    "first_name",
                    "name_prefix",
                    "last_name",
                    "sex",
                    "email",
                    "role",
                    "password1",
                    "password2",
                ]
            },
        ),
    )
    fieldsets = (
        (None, {"fields": ["username", "password"]}),
        (
            _("Personal info"),
            {"fields": ["initials", "first_name", "name_prefix", "last_name", "sex", "email"]},
        ),
        (_("Buurtzorg"), {"fields": ["role", "is_active"]}),
        (_("Admin site"), {"fields": ["is_staff", "is_superuser"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        return ["username", "is_staff", "is_superuser", "last_login", "date_joined"]

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        """Sex may be left out, as on the account pages: it is then "0" (unknown)."""
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "sex" and isinstance(field, forms.TypedChoiceField):
            field.required = False
            field.empty_value = Sex.UNKNOWN
        return field

    def service_save(
        self, request: HttpRequest, obj: Any, data: dict[str, Any], change: bool
    ) -> User:
        if not change:
            try:
                return user_create(
                    username=data["username"],
                    initials=data.get("initials", ""),
                    first_name=data.get("first_name", ""),
                    name_prefix=data.get("name_prefix", ""),
                    last_name=data.get("last_name", ""),
                    sex=data.get("sex", Sex.UNKNOWN),
                    email=data.get("email", ""),
                    role=data["role"],
                    password=data["password1"],
                )
            except ValidationError as exc:  # the service's "password" is the form's password2
                errors = getattr(exc, "error_dict", {})
                if "password" in errors:
                    errors["password2"] = errors.pop("password")
                raise
        return user_update(
            user=obj,
            initials=data["initials"],
            first_name=data["first_name"],
            name_prefix=data["name_prefix"],
            last_name=data["last_name"],
            sex=data["sex"],
            email=data["email"],
            role=data["role"],
            is_active=data["is_active"],
        )


class PostcodeInline(ReadOnlyInline):
    model = PostcodeArea


class NeighbourhoodAdminForm(forms.ModelForm):
    postcodes = forms.CharField(
        label=_("Postcode areas"),
        help_text=_("Dutch 4-digit postcodes, separated by commas or spaces, e.g. 1011, 1012."),
    )

    class Meta:
        model = Neighbourhood
        fields = ["name", "population_estimate"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            codes = self.instance.postcode_areas.values_list("code", flat=True)
            self.fields["postcodes"].initial = ", ".join(codes)


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(ServiceAdmin):
    """Through `neighbourhood_create`/`_update`: they own "a postcode in one neighbourhood"."""

    form = NeighbourhoodAdminForm
    fields = ["name", "population_estimate", "postcodes"]
    list_display = ["name", "population_estimate"]
    search_fields = ["name"]
    inlines = [PostcodeInline]

    def service_save(
        self, request: HttpRequest, obj: Any, data: dict[str, Any], change: bool
    ) -> Neighbourhood:
        codes = parse_postcodes(data["postcodes"])
        fields = {
            "name": data["name"],
            "population_estimate": data["population_estimate"],
            "postcodes": codes,
        }
        if change:
            return neighbourhood_update(neighbourhood=obj, **fields)
        return neighbourhood_create(**fields)


@admin.register(Team)
class TeamAdmin(ServiceAdmin):
    """Through `team_create`, so a team made here gets its messaging space like any other."""

    fields = ["name", "neighbourhood", "is_active"]
    list_display = ["name", "neighbourhood", "is_active"]
    search_fields = ["name"]
    list_select_related = ["neighbourhood"]

    def service_save(
        self, request: HttpRequest, obj: Any, data: dict[str, Any], change: bool
    ) -> Team:
        fields = {
            "name": data["name"],
            "neighbourhood": data["neighbourhood"],
            "is_active": data["is_active"],
        }
        if change:
            return team_update(team=obj, **fields)
        return team_create(**fields)


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    """Seats are given and ended on the team pages (`team_add_nurse`, `membership_end`)."""

    list_display = ["nurse", "team", "seat", "started_on", "ended_on"]
    list_select_related = ["nurse", "team"]


@admin.register(CoachAssignment)
class CoachAssignmentAdmin(ReadOnlyAdmin):
    """Coaches are assigned on the team pages (`coach_assign` checks the coach role)."""

    list_display = ["coach", "team"]
    list_select_related = ["coach", "team"]
