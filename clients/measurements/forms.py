"""Shapes of the measurement pages' input (the rules are in clients.measurements.services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clients.measurements.models import Kind

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
NUMBER = {"inputmode": "decimal", "step": "0.1"}


class MeasurementForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=Kind.choices)
    value = forms.DecimalField(
        label=_("Value (systolic for blood pressure)"),
        max_digits=5,
        decimal_places=1,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    value2 = forms.DecimalField(
        label=_("Diastolic (blood pressure only)"),
        max_digits=5,
        decimal_places=1,
        required=False,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    measured_at = forms.DateTimeField(label=_("Measured at"), widget=DATETIME)


class NormalRangeForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=Kind.choices)
    low = forms.DecimalField(label=_("Lowest normal"), max_digits=5, decimal_places=1)
    high = forms.DecimalField(label=_("Highest normal"), max_digits=5, decimal_places=1)
    low2 = forms.DecimalField(
        label=_("Lowest normal diastolic"), max_digits=5, decimal_places=1, required=False
    )
    high2 = forms.DecimalField(
        label=_("Highest normal diastolic"), max_digits=5, decimal_places=1, required=False
    )
