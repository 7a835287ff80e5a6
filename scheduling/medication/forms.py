"""Page input for medication and sign-offs: shape only (the rules are the model's and the
services')."""

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from scheduling.medication.models import TIME_OF_DAY, TIMES_MALFORMED, DoseForm, Outcome, Route
from scheduling.models import EVERY_DAY

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
WEEKDAY_CHOICES = [
    ("0", _("Mon")),
    ("1", _("Tue")),
    ("2", _("Wed")),
    ("3", _("Thu")),
    ("4", _("Fri")),
    ("5", _("Sat")),
    ("6", _("Sun")),
]


class MedicationForm(forms.Form):
    name = forms.CharField(label=_("Medicine"), max_length=200)
    code = forms.CharField(
        label=_("ATC code"), max_length=7, required=False, help_text=_("Optional, e.g. A10AB01.")
    )
    strength = forms.CharField(label=_("Strength"), max_length=60, required=False)
    form = forms.ChoiceField(label=_("Form"), choices=DoseForm.choices)
    dose_amount = forms.DecimalField(
        label=_("Dose"), max_digits=8, decimal_places=3, required=False, min_value=0
    )
    dose_unit = forms.CharField(
        label=_("Dose unit"), max_length=20, required=False, help_text=_("mg, ml, units, tablets")
    )
    route = forms.ChoiceField(label=_("Route"), choices=Route.choices)
    as_needed = forms.BooleanField(label=_("As needed"), required=False)
    times_of_day = forms.CharField(
        label=_("Times of day"),
        max_length=200,
        required=False,
        help_text=_("For example 08:00, 13:00, 20:00. Leave empty for medicine as needed."),
    )
    weekdays = forms.MultipleChoiceField(
        label=_("Days of the week"),
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked: every day."),
    )
    max_per_day = forms.IntegerField(
        label=_("Maximum per day"), min_value=1, max_value=48, required=False
    )
    starts_on = forms.DateField(label=_("Start"), widget=DATE)
    ends_on = forms.DateField(label=_("End"), widget=DATE, required=False)
    prescriber = forms.CharField(label=_("Prescriber"), max_length=200, required=False)
    instructions = forms.CharField(label=_("Instructions"), required=False, widget=forms.Textarea)
    high_risk = forms.BooleanField(
        label=_("High risk (a second nurse signs)"),
        required=False,
        help_text=_("Insulin, opioids, anticoagulants and the like."),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()

    def clean_times_of_day(self) -> list[str]:
        raw = self.cleaned_data["times_of_day"]
        times = []
        for part in re.split(r"[,;\s]+", raw.strip()):
            if not part:
                continue
            if re.fullmatch(r"\d:\d\d", part):
                part = "0" + part
            part = part.replace(".", ":")
            if not re.fullmatch(TIME_OF_DAY, part):
                raise forms.ValidationError(TIMES_MALFORMED)
            times.append(part)
        return times

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        days = data.pop("weekdays")
        data["weekdays"] = sum(1 << int(d) for d in days) if days else EVERY_DAY
        return data

    @staticmethod
    def initial_from(medication: Any) -> dict[str, Any]:
        fields = {name: getattr(medication, name) for name in MedicationForm.base_fields}
        fields["times_of_day"] = ", ".join(medication.times_of_day)
        fields["weekdays"] = (
            []
            if medication.weekdays == EVERY_DAY
            else [str(i) for i in range(7) if medication.weekdays & (1 << i)]
        )
        return fields


class StopForm(forms.Form):
    reason = forms.CharField(label=_("Reason for stopping"), max_length=300)


class SignForm(forms.Form):
    """One dose: which medicine, when it was due (as the page named it), what happened."""

    medication = forms.UUIDField(widget=forms.HiddenInput)
    due_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    second_username = forms.CharField(
        label=_("Second nurse (username)"), max_length=150, required=False
    )
    second_password = forms.CharField(
        label=_("Second nurse's password"),
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )

    def due_at_utc(self) -> dt.datetime | None:
        due = self.cleaned_data.get("due_at")
        return due.astimezone(dt.UTC) if due else None
