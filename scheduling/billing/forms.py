"""Shapes of the billing pages' input. Rules live in the services."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from clients.models import Insurer
from scheduling.billing.models import PERIOD_FIRST_YEAR, PERIOD_LAST_YEAR, period_out_of_range
from scheduling.models import CareService

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MonthField(forms.DateField):
    """An <input type="month"> ("2026-10") read as the first day of that month.

    Python reads "0353-01" as the year 353; a month outside 2000..2100 is a typo, refused at
    the field with the service's message (the service checks it again for the API)."""

    widget = forms.DateInput(
        attrs={"type": "month", "min": f"{PERIOD_FIRST_YEAR}-01", "max": f"{PERIOD_LAST_YEAR}-12"},
        format="%Y-%m",
    )
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value: str | dt.datetime | dt.date | None) -> dt.date | None:
        day = super().to_python(value)
        return day.replace(day=1) if day else day

    def validate(self, value: dt.date | None) -> None:
        super().validate(value)
        if value and not PERIOD_FIRST_YEAR <= value.year <= PERIOD_LAST_YEAR:
            raise forms.ValidationError(period_out_of_range(), code="period_out_of_range")


class RunStartForm(forms.Form):
    period = MonthField(label=_("Month"), help_text=_("The month to bill, e.g. 2026-10."))
    insurer = forms.ModelChoiceField(
        queryset=Insurer.objects.order_by("name"),
        required=False,
        empty_label=_("All insurers"),
        label=_("Insurer"),
    )


class ContractForm(forms.Form):
    insurer = forms.ModelChoiceField(
        queryset=Insurer.objects.order_by("name"), to_field_name="uzovi", label=_("Insurer")
    )
    year = forms.IntegerField(min_value=2000, max_value=2100, label=_("Year"))
    reference = forms.CharField(max_length=60, required=False, label=_("Contract reference"))


class TariffForm(forms.Form):
    service = forms.ModelChoiceField(
        queryset=CareService.objects.filter(is_billable=True).order_by("code"), label=_("Service")
    )
    # No min_value here: the service gives the plain-language message for 0 and below.
    hourly_rate = forms.DecimalField(max_digits=8, decimal_places=2, label=_("Hourly tariff (EUR)"))
    valid_from = forms.DateField(
        label=_("Valid from"),
        widget=DATE,
        help_text=_("The tariff in force on this day ends the day before."),
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        widget=DATE,
        required=False,
        help_text=_("Empty: until the next tariff starts, or until further notice."),
    )


RETURN_FILE_MAX_BYTES = 50 * 1024 * 1024


class ReturnFileForm(forms.Form):
    file = forms.FileField(
        label=_("Return message (AW320)"),
        help_text=_("The insurer's answer to this run's declaration file."),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > RETURN_FILE_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return upload


class InsurerForm(forms.Form):
    name = forms.CharField(max_length=120, label=_("Name"))
    uzovi = forms.CharField(
        max_length=4,
        label=_("UZOVI code"),
        help_text=_("4 digits, from Vektis' UZOVI register."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class CareServiceForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        label=_("Code"),
        help_text=_("The service code (prestatiecode) declared to the insurers, e.g. 1004."),
    )
    name = forms.CharField(max_length=120, label=_("Name"))
    is_billable = forms.BooleanField(required=False, initial=True, label=_("Billable"))
