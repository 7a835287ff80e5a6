"""Shapes of page input. Rules live in scheduling.services."""

import datetime as dt

from django import forms

from scheduling.models import ShiftKind
from scheduling.selectors import team_nurses
from teams.models import Team

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ShiftForm(forms.Form):
    nurse = forms.ModelChoiceField(queryset=None, label="Nurse")
    kind = forms.ChoiceField(choices=ShiftKind.choices, label="Shift")
    day = forms.DateField(label="Date", widget=DATE)
    start_time = forms.TimeField(
        label="Start time",
        required=False,
        widget=TIME,
        help_text="Leave both times empty for the usual early (07-15), late (15-23) or night "
        "(23-07) times.",
    )
    end_time = forms.TimeField(
        label="End time",
        required=False,
        widget=TIME,
        help_text="An end time before the start time means the next day.",
    )
    note = forms.CharField(label="Note", max_length=200, required=False)

    def __init__(self, *args: object, team: Team, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nurse"].queryset = team_nurses(team=team)

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if (start is None) != (end is None):
            raise forms.ValidationError("Give both a start and an end time, or neither.")
        if start is None and data.get("kind") == ShiftKind.FREE:
            raise forms.ValidationError("Give a start and end time for a shift with free times.")
        return data


class LeaveForm(forms.Form):
    nurse = forms.ModelChoiceField(queryset=None, label="Nurse")
    first_day = forms.DateField(label="First day", widget=DATE)
    last_day = forms.DateField(label="Last day", widget=DATE, help_text="Included.")
    reason = forms.CharField(label="Reason", max_length=200, required=False)

    def __init__(self, *args: object, team: Team, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nurse"].queryset = team_nurses(team=team)


class CoverageRuleForm(forms.Form):
    starts_at = forms.TimeField(label="From", widget=TIME, initial=dt.time(7))
    ends_at = forms.TimeField(
        label="Until", widget=TIME, initial=dt.time(23), help_text="Before 'from' = next day."
    )
    min_nurses = forms.IntegerField(label="Minimum nurses on duty", min_value=0, max_value=12)


class CoverArrangementForm(forms.Form):
    covered_team = forms.ModelChoiceField(
        queryset=None, label="Our night shifts also cover", help_text="A neighbouring team."
    )
    valid_from = forms.DateField(label="From", widget=DATE)
    valid_until = forms.DateField(label="Until", widget=DATE, required=False)

    def __init__(self, *args: object, team: Team, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["covered_team"].queryset = Team.objects.filter(is_active=True).exclude(
            pk=team.pk
        )


class WeekForm(forms.Form):
    week = forms.DateField(required=False, widget=DATE)
