"""Shapes of the wound pages' input (the rules are in clients.wounds.services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clients.wounds.models import Edges, Exudate, Tissue, WoundKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MM = {"inputmode": "decimal", "step": "0.1"}


class WoundForm(forms.Form):
    body_site = forms.CharField(label=_("Place on the body"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=WoundKind.choices)
    cause = forms.CharField(label=_("Cause"), max_length=200, required=False)
    started_on = forms.DateField(label=_("Started on"), widget=DATE)


class AssessmentForm(forms.Form):
    assessed_at = forms.DateTimeField(label=_("Assessed at"), widget=DATETIME)
    length_mm = forms.DecimalField(
        label=_("Length (mm)"), max_digits=4, decimal_places=1, widget=forms.NumberInput(attrs=MM)
    )
    width_mm = forms.DecimalField(
        label=_("Width (mm)"), max_digits=4, decimal_places=1, widget=forms.NumberInput(attrs=MM)
    )
    depth_mm = forms.DecimalField(
        label=_("Depth (mm)"), max_digits=4, decimal_places=1, widget=forms.NumberInput(attrs=MM)
    )
    tissue = forms.ChoiceField(label=_("Tissue"), choices=Tissue.choices)
    exudate = forms.ChoiceField(label=_("Exudate"), choices=Exudate.choices)
    edges = forms.ChoiceField(label=_("Edges"), choices=Edges.choices)
    pain = forms.IntegerField(
        label=_("Pain (0-10)"), widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    # Checked by content in the service (buurtzorg.images), not here: a FileField keeps the
    # upload as it came, so the service's message lands on this field.
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=DATE)
    close_reason = forms.CharField(label=_("Reason"), max_length=200)
