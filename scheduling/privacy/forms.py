from django import forms
from django.utils.translation import gettext_lazy as _

from scheduling.privacy.models import RequestKind, RequestOutcome


class RequestRecordForm(forms.Form):
    client = forms.UUIDField(
        label=_("Client ID"), help_text=_("The ID shown on the client's record.")
    )
    kind = forms.ChoiceField(label=_("Request"), choices=RequestKind.choices)
    requested_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RequestHandleForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (RequestOutcome.DONE, RequestOutcome.DONE.label),
            (RequestOutcome.REFUSED, RequestOutcome.REFUSED.label),
        ],
        help_text=_("For an erasure the retention check decides."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    important_to_other = forms.CharField(
        label=_("Keep for someone else (erasure only)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only when keeping the record is of considerable importance to someone other than "
            "the client (art. 7:455 BW), say why here: the erasure is then refused with this "
            "reason. Leave empty to carry the erasure out."
        ),
    )
