"""Shapes of page input. Rules live in teams.services."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtzorg.forms import form_field
from teams.models import Neighbourhood, Role, User
from teams.names import (
    INITIALS_MAX_LENGTH,
    NAME_ORDER,
    NAME_PREFIX_MAX_LENGTH,
    Sex,
    initials_validator,
    name_prefix_validator,
    normalise_name_prefix,
)
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
            *NAME_ORDER, "id"
        )
        self.fields["started_on"].initial = timezone.localdate()
        self.fields["contracted_hours"].initial = 24


class EndMembershipForm(forms.Form):
    ended_on = forms.DateField(
        label=_("End date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class CoachForm(forms.Form):
    coach = forms.ModelChoiceField(
        queryset=User.objects.filter(role=Role.COACH, is_active=True).order_by(*NAME_ORDER, "id"),
        label=_("Coach"),
    )


class NamePrefixField(forms.CharField):
    """A tussenvoegsel as typed, with its spaces tidied (" van  den " -> "van den") before it is
    checked, so a stray space is no error."""

    def to_python(self, value: Any) -> str:
        return normalise_name_prefix(super().to_python(value) or "")


class StaffNameFields(forms.Form):
    """A colleague's name the way Dutch records hold it (teams.names)."""

    initials = forms.CharField(
        label=_("Initials"),
        max_length=INITIALS_MAX_LENGTH,
        required=False,
        validators=[initials_validator],
        help_text=_('Voorletters, e.g. "J.H.". Left empty: taken from the first name.'),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    name_prefix = NamePrefixField(
        label=_("Name prefix"),
        max_length=NAME_PREFIX_MAX_LENGTH,
        required=False,
        validators=[name_prefix_validator],
        help_text=_('Tussenvoegsel, e.g. "de" or "van den"; lists sort on the last name.'),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        required=False,
        help_text=_('Without the prefix: "Jong", not "de Jong".'),
    )
    sex = forms.TypedChoiceField(
        label=_("Sex"),
        choices=Sex.choices,
        initial=Sex.UNKNOWN,
        required=False,
        empty_value=Sex.UNKNOWN,
    )


class UserCreateForm(StaffNameFields):
    field_order = ["username"]  # then the name fields, then the rest

    username = forms.CharField(max_length=150, label=_("Username"))
    email = forms.EmailField(required=False, label=_("E-mail"))
    role = forms.ChoiceField(choices=Role.choices, label=_("Role"))
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        label=_("Password"),
        help_text=_("At least 12 characters."),
    )


class UserUpdateForm(StaffNameFields):
    email = forms.EmailField(required=False, label=_("E-mail"))
    role = forms.ChoiceField(choices=Role.choices, label=_("Role"))
    is_active = forms.BooleanField(required=False, label=_("Active"))


class OrganisationForm(forms.Form):
    """Formats and the IBAN check digits are checked by the service (the model's validators)."""

    name = forms.CharField(max_length=120, label=_("Name"))
    address = forms.CharField(max_length=120, label=_("Address"), help_text=_("Street and number."))
    postcode = forms.CharField(max_length=8, label=_("Postcode"))
    city = forms.CharField(max_length=80, label=_("City"))
    kvk_number = forms.CharField(
        max_length=12,
        label=_("KvK number"),
        help_text=_("8 digits, from the Chamber of Commerce register."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    agb_code = forms.CharField(
        max_length=12,
        label=_("AGB code"),
        help_text=_("8 digits: the sender of every declaration to the insurers."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    iban = forms.CharField(
        max_length=42,
        label=_("IBAN"),
        help_text=_("The account insurers pay into, e.g. NL91 ABNA 0417 1643 00."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    vat_exemption_note = forms.CharField(
        max_length=200,
        required=False,
        label=_("VAT exemption note"),
        help_text=_("Printed on every invoice: district nursing is exempt from VAT."),
    )
    payment_term_days = forms.IntegerField(
        min_value=1, max_value=365, label=_("Payment term (days)")
    )
