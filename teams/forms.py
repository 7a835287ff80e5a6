"""Shapes of page input. Rules live in teams.services."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtzorg.forms import form_field
from teams.models import Neighbourhood, Role, User
from teams.selectors import nurses_without_team


class NeighbourhoodForm(forms.Form):
    name = forms.CharField(max_length=120, label=_("Name"))
    postcodes = forms.CharField(
        label=_("Postcode areas"),
        help_text=_("Dutch 4-digit postcodes, separated by commas or spaces, e.g. 1011, 1012."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    population_estimate = forms.IntegerField(min_value=0, label=_("Population estimate"))


class TeamForm(forms.Form):
    name = forms.CharField(max_length=120, label=_("Name"))
    neighbourhood = forms.ModelChoiceField(
        queryset=Neighbourhood.objects.order_by("name"), label=_("Neighbourhood")
    )
    is_active = forms.BooleanField(required=False, initial=True, label=_("Active"))


class AddNurseForm(forms.Form):
    nurse = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Nurse"))
    started_on = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    contracted_hours = forms.DecimalField(
        min_value=0, max_value=60, decimal_places=1, label=_("Contracted hours per week")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "nurse", forms.ModelChoiceField).queryset = nurses_without_team().order_by(
            "last_name", "username"
        )
        self.fields["started_on"].initial = timezone.localdate()
        self.fields["contracted_hours"].initial = 24


class EndMembershipForm(forms.Form):
    ended_on = forms.DateField(
        label=_("End date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class CoachForm(forms.Form):
    coach = forms.ModelChoiceField(
        queryset=User.objects.filter(role=Role.COACH, is_active=True), label=_("Coach")
    )


class UserCreateForm(forms.Form):
    username = forms.CharField(max_length=150, label=_("Username"))
    first_name = forms.CharField(max_length=150, required=False, label=_("First name"))
    last_name = forms.CharField(max_length=150, required=False, label=_("Last name"))
    email = forms.EmailField(required=False, label=_("E-mail"))
    role = forms.ChoiceField(choices=Role.choices, label=_("Role"))
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        label=_("Password"),
        help_text=_("At least 12 characters."),
    )


class UserUpdateForm(forms.Form):
    first_name = forms.CharField(max_length=150, required=False, label=_("First name"))
    last_name = forms.CharField(max_length=150, required=False, label=_("Last name"))
    email = forms.EmailField(required=False, label=_("E-mail"))
    role = forms.ChoiceField(choices=Role.choices, label=_("Role"))
    is_active = forms.BooleanField(required=False, label=_("Active"))
