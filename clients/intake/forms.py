from django import forms
from django.utils.translation import gettext_lazy as _


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("What was done"),
        max_length=300,
        help_text=_("For example: moved to the registering team, or a typo in the BSN."),
    )
