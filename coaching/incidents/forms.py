from django import forms
from django.utils.translation import gettext_lazy as _

from coaching.incidents.models import DESCRIPTION_MAX, IncidentKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=IncidentKind.choices)
    occurred_on = forms.DateField(label=_("Date of the incident"), widget=DATE)
    client = forms.ChoiceField(label=_("Client (optional)"), required=False)
    description = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=DESCRIPTION_MAX,
        required=False,  # the service gives the message (one place for the rule)
    )
    show_author = forms.BooleanField(
        label=_("Show my name to the team"), required=False, initial=True
    )

    def __init__(self, *args: object, clients: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["client"].choices = [("", _("No client")), *clients]  # type: ignore[attr-defined]


class IncidentActionForm(forms.Form):
    text = forms.CharField(
        label=_("Action taken or agreed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
