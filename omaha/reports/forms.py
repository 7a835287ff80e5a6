from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from buurtzorg.forms import PlainSelect, form_field
from omaha.reports.models import ReportScope
from teams.models import Neighbourhood, Team


class ReportForm(forms.Form):
    scope = forms.ChoiceField(choices=ReportScope.choices, label=_("Report for"))
    # PlainSelect: the back office chooses among every team and neighbourhood (1,000s).
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(), required=False, label=_("Team"), widget=PlainSelect
    )
    neighbourhood = forms.ModelChoiceField(
        queryset=Neighbourhood.objects.none(),
        required=False,
        label=_("Neighbourhood"),
        widget=PlainSelect,
    )
    period_start = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    period_end = forms.DateField(
        label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    per_client = forms.BooleanField(
        required=False,
        label=_("Per client, with names (nurses of the team only)"),
    )

    def __init__(
        self,
        *args: Any,
        teams: QuerySet[Team],
        neighbourhoods: QuerySet[Neighbourhood],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # only what an option shows (its name) and validation needs (its key)
        team = form_field(self, "team", forms.ModelChoiceField)
        team.queryset = teams.only("pk", "name")
        neighbourhood = form_field(self, "neighbourhood", forms.ModelChoiceField)
        neighbourhood.queryset = neighbourhoods.only("pk", "name")
        if not neighbourhoods.exists():
            scope = form_field(self, "scope", forms.ChoiceField)
            scope.choices = [(ReportScope.TEAM, ReportScope.TEAM.label)]
