"""Shapes of page input. Rules live in scheduling.services."""

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms import BoundField
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from buurtzorg.forms import (
    PlainCheckboxSelectMultiple,
    PlainRadioSelect,
    PlainSelect,
    PlainTextInput,
    ReadOnceChoiceIterator,
    ReadOnceModelChoiceField,
    escape_fast,
    form_field,
    read_choices,
)
from clients.models import Client, ClientProblem, Intervention
from omaha.selectors import rating_scale
from scheduling.models import CareService, NotDoneReason, ShiftKind, Visit
from scheduling.selectors import VisitLogOptions, care_plan_lines, team_nurses
from teams.models import Team, User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
# The three Omaha rating scales, as the visit log's fields are keyed and labelled.
RATING_PARTS = {"knowledge": _("Knowledge"), "behavior": _("Behaviour"), "status": _("Status")}
# K, B and S: the Omaha rating concept of each part (omaha.RatingConcept.code).
RATING_CODES = {"knowledge": "K", "behavior": "B", "status": "S"}


class ShiftForm(forms.Form):
    nurse = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Nurse"))
    kind = forms.ChoiceField(choices=ShiftKind.choices, label=_("Shift"))
    day = forms.DateField(label=_("Date"), widget=DATE)
    start_time = forms.TimeField(
        label=_("Start time"),
        required=False,
        widget=TIME,
        help_text=_(
            "Leave both times empty for the usual early (07-15), late (15-23) or night "
            "(23-07) times."
        ),
    )
    end_time = forms.TimeField(
        label=_("End time"),
        required=False,
        widget=TIME,
        help_text=_("An end time before the start time means the next day."),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "nurse", forms.ModelChoiceField).queryset = team_nurses(team=team)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start_time"), data.get("end_time")
        if (start is None) != (end is None):
            raise forms.ValidationError(_("Give both a start and an end time, or neither."))
        if start is None and data.get("kind") == ShiftKind.FREE:
            raise forms.ValidationError(_("Give a start and end time for a shift with free times."))
        return data


class LeaveForm(forms.Form):
    nurse = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Nurse"))
    first_day = forms.DateField(label=_("First day"), widget=DATE)
    last_day = forms.DateField(label=_("Last day"), widget=DATE, help_text=_("Included."))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "nurse", forms.ModelChoiceField).queryset = team_nurses(team=team)


class CoverageRuleForm(forms.Form):
    starts_at = forms.TimeField(label=_("From"), widget=TIME, initial=dt.time(7))
    ends_at = forms.TimeField(
        label=_("Until"), widget=TIME, initial=dt.time(23), help_text=_("Before 'from' = next day.")
    )
    min_nurses = forms.IntegerField(label=_("Minimum nurses on duty"), min_value=0, max_value=12)


class CoverArrangementForm(forms.Form):
    covered_team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        label=_("Our night shifts also cover"),
        help_text=_("A neighbouring team."),
    )
    valid_from = forms.DateField(label=_("From"), widget=DATE)
    valid_until = forms.DateField(label=_("Until"), widget=DATE, required=False)

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "covered_team", forms.ModelChoiceField).queryset = Team.objects.filter(
            is_active=True
        ).exclude(pk=team.pk)


class WeekForm(forms.Form):
    week = forms.DateField(required=False, widget=DATE)


# --- visits ---------------------------------------------------------------------------------

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class InterventionField(forms.ModelMultipleChoiceField):
    widget = PlainCheckboxSelectMultiple
    iterator = ReadOnceChoiceIterator

    def label_from_instance(self, obj: Intervention) -> str:
        # `str(obj)` is already "category - target": naming the category again doubled it.
        return f"{obj.client_problem.problem.name}: {obj}. {obj.description}"


class VisitForm(forms.Form):
    client = forms.ModelChoiceField(queryset=Client.objects.none(), label=_("Client"))
    nurse = forms.ModelChoiceField(
        queryset=User.objects.none(), label=_("Nurse"), required=False, empty_label=_("Unassigned")
    )
    day = forms.DateField(label=_("Date"), widget=DATE)
    time = forms.TimeField(label=_("Time"), widget=TIME)
    planned_minutes = forms.IntegerField(label=_("Planned minutes"), min_value=5, max_value=720)
    service = forms.ModelChoiceField(
        queryset=CareService.objects.none(), label=_("Care service"), required=False
    )
    notes = forms.CharField(label=_("Notes for the visit"), required=False, widget=forms.Textarea)
    planned_interventions = InterventionField(
        queryset=Intervention.objects.none(),
        label=_("What to do (from the care plan)"),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        clients: QuerySet[Client],
        nurses: QuerySet[User],
        client: Client | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "client", forms.ModelChoiceField).queryset = clients
        form_field(self, "nurse", forms.ModelChoiceField).queryset = nurses
        form_field(self, "service", forms.ModelChoiceField).queryset = CareService.objects.order_by(
            "code"
        )
        if client is not None:
            form_field(
                self, "planned_interventions", forms.ModelChoiceField
            ).queryset = care_plan_lines(client_id=client.pk)
        else:
            del self.fields["planned_interventions"]


class VisitEditForm(VisitForm):
    following = forms.BooleanField(
        label=_("Also change the following visits of this series"), required=False
    )

    def __init__(self, *args: Any, in_series: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["client"]
        if not in_series:
            del self.fields["following"]


class AssignForm(forms.Form):
    nurse = forms.ModelChoiceField(
        queryset=User.objects.none(), label=_("Nurse"), required=False, empty_label=_("Unassigned")
    )

    def __init__(self, *args: Any, nurses: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "nurse", forms.ModelChoiceField).queryset = nurses


class OtherMinutesInput(forms.NumberInput):
    """The minutes of the visit log: a row of chips (radios named `minutes`) and an "other"
    number box (`minutes_other`). A number typed in the box wins: she typed it on purpose."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:  # noqa: ANN401
        other = (data.get(f"{name}_other") or "").strip()
        return other or data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}_other" not in data


# Minutes a visit usually takes: one tap each on the visit log (the planned minutes join them).
DURATION_CHIPS = (15, 30, 45, 60)
# Reasons for a different time that save the log in the same tap (the service still decides
# that a difference needs a reason; typed words win over a chosen one).
DEVIATION_REASONS = {
    "more-care": _("More care was needed"),
    "less-care": _("Less care was needed"),
    "waited": _("Had to wait"),
}


class VisitNotDoneForm(forms.Form):
    """Why a planned visit was not done (the rules, e.g. "other" needs words, are the
    service's: `visit_record_not_done`)."""

    reason = forms.ChoiceField(
        label=_("Why was the visit not done?"),
        choices=NotDoneReason.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("In your own words (optional; needed for another reason)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _rating_row(code: str, label: str, field: BoundField) -> SafeString:
    """One K, B or S row of the log form's ratings: its code and name, its five chips (each
    option's radio, PlainRadioSelect's tag with the checked, id and error attributes Django
    sets, in a label with the score and the scale's word) and its errors under them. The
    markup the template wrote with a loop over the rows and one over the radios (four
    variables each), in one pass."""
    errors = field.errors
    chips = "\n".join(
        f'<label class="chip kbs-chip" for="{escape_fast(radio.id_for_label)}">'
        f"{radio.tag()}<span><b>{escape_fast(radio.data['value'])}</b> "
        f"<small>{escape_fast(radio.choice_label)}</small></span></label>"
        for radio in field.subwidgets
    )
    alerts = "".join(f'<p class="error" role="alert">{escape_fast(e)}</p>' for e in errors)
    return mark_safe(  # noqa: S308 - every value escaped
        f'<div class="kbs-row{" has-error" if errors else ""}" role="radiogroup" '
        f'aria-label="{escape_fast(field.label)}">\n'
        f'<p class="kbs-label"><b class="kbs-code">{code}</b> {escape_fast(label)}</p>\n'
        f'<div class="kbs-chips">\n{chips}\n</div>\n{alerts}\n</div>\n'
    )


class VisitLogForm(forms.Form):
    minutes = forms.IntegerField(
        label=_("Minutes spent"),
        min_value=1,
        max_value=1440,
        required=False,
        widget=OtherMinutesInput(attrs={"inputmode": "numeric"}),
    )
    deviation_reason = forms.CharField(
        label=_("Reason for the difference"), max_length=300, required=False, widget=PlainTextInput
    )
    reason_choice = forms.ChoiceField(
        choices=[("", "")] + list(DEVIATION_REASONS.items()), required=False
    )
    done_interventions = InterventionField(
        queryset=Intervention.objects.none(), label=_("Done"), required=False
    )
    note = forms.CharField(
        label=_("Short note"), max_length=500, required=False, widget=PlainTextInput
    )
    service = ReadOnceModelChoiceField(
        queryset=CareService.objects.none(),
        label=_("Care service"),
        required=False,
        empty_label=_("As planned"),
        widget=PlainSelect,
    )

    def __init__(self, *args: Any, visit: Visit, options: VisitLogOptions, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.visit = visit
        self.options = options
        # the options as read for the page (`visit_log_options`); a posted choice is still
        # checked against the database
        read_choices(
            form_field(self, "done_interventions", forms.ModelChoiceField),
            care_plan_lines(client_id=visit.client_id),
            options.interventions,
        )
        read_choices(
            form_field(self, "service", forms.ModelChoiceField),
            CareService.objects.order_by("code"),
            options.services,
        )
        self.problems: list[ClientProblem] = options.problems
        # The scale's own words (Omaha vocabulary, in the reader's language where translated).
        words = {
            concept.code: {s.score: s.local_name for s in concept.scores.all()}
            for concept in rating_scale()
        }
        for problem in self.problems:
            for part, code in RATING_CODES.items():
                self.fields[f"rating_{problem.pk}_{part}"] = forms.TypedChoiceField(
                    label=f"{problem.problem.name}: {RATING_PARTS[part]}",
                    choices=[(str(i), words.get(code, {}).get(i, str(i))) for i in range(1, 6)],
                    coerce=int,
                    empty_value=None,
                    required=False,
                    widget=PlainRadioSelect,
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        choice = data.get("reason_choice")
        if choice and not (data.get("deviation_reason") or "").strip():
            data["deviation_reason"] = str(DEVIATION_REASONS[choice])
        return data

    def duration_chips(self) -> list[dict[str, Any]]:
        """The chips of the minutes row, the current value's checked (None: none)."""
        planned = self.visit.planned_minutes
        current = self._current_minutes()
        return [
            {"minutes": m, "checked": m == current, "planned": m == planned}
            for m in sorted({*DURATION_CHIPS, planned})
        ]

    def other_minutes(self) -> str:
        """What the "other" box shows: the minutes when they are not one of the chips."""
        current = self._current_minutes()
        if current is None:
            raw = self["minutes"].value()
            return "" if raw in (None, "") else str(raw)
        chips = {*DURATION_CHIPS, self.visit.planned_minutes}
        return "" if current in chips else str(current)

    def _current_minutes(self) -> int | None:
        raw = self["minutes"].value()
        try:
            return int(raw)
        except (TypeError, ValueError):
            return None

    def rating_groups(self) -> list[dict[str, Any]]:
        """Per active problem its K, B and S rows of chips (`rows`, each row's markup); the
        problems the visit works on first (open on the page), the others after them."""
        planned = {problem_id for _, problem_id in self.options.planned}
        if not planned:  # no care plan for this visit: any problem may have been worked on
            planned = {problem.pk for problem in self.problems}
        groups = []
        for problem in self.problems:
            fields = [
                (part, code, self[f"rating_{problem.pk}_{part}"])
                for part, code in RATING_CODES.items()
            ]
            groups.append(
                {
                    "problem": problem,
                    "worked": problem.pk in planned,
                    # a folded problem opens again when it holds a choice or an error
                    "touched": any(field.value() or field.errors for _, _, field in fields),
                    "rows": [
                        _rating_row(code, str(RATING_PARTS[part]), field)
                        for part, code, field in fields
                    ],
                }
            )
        return sorted(groups, key=lambda g: not g["worked"])

    def ratings(self) -> list[dict]:
        out = []
        for problem in self.problems:
            parts = {
                p: self.cleaned_data.get(f"rating_{problem.pk}_{p}")
                for p in ("knowledge", "behavior", "status")
            }
            if any(v is not None for v in parts.values()):
                out.append({"client_problem": problem, **parts})
        return out


class UnplannedVisitForm(forms.Form):
    client = forms.ModelChoiceField(queryset=Client.objects.none(), label=_("Client"))
    started_at = forms.DateTimeField(label=_("Started at"), widget=DATETIME)
    minutes = forms.IntegerField(label=_("Minutes spent"), min_value=5, max_value=720)
    service = forms.ModelChoiceField(
        queryset=CareService.objects.none(), label=_("Care service"), required=False
    )
    note = forms.CharField(label=_("Short note"), max_length=500, required=False)

    def __init__(self, *args: Any, clients: QuerySet[Client], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "client", forms.ModelChoiceField).queryset = clients
        form_field(self, "service", forms.ModelChoiceField).queryset = CareService.objects.order_by(
            "code"
        )


WEEKDAY_CHOICES = [
    (str(i), name) for i, name in enumerate(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])
]


class SeriesForm(forms.Form):
    client = forms.ModelChoiceField(queryset=Client.objects.none(), label=_("Client"))
    nurse = forms.ModelChoiceField(
        queryset=User.objects.none(), label=_("Nurse"), required=False, empty_label=_("Unassigned")
    )
    weekdays = forms.MultipleChoiceField(
        label=_("Weekdays"), choices=WEEKDAY_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    time_of_day = forms.TimeField(label=_("Time"), widget=TIME)
    planned_minutes = forms.IntegerField(label=_("Planned minutes"), min_value=5, max_value=720)
    starts_on = forms.DateField(label=_("First day"), widget=DATE)
    until = forms.DateField(label=_("Until"), widget=DATE, required=False)
    service = forms.ModelChoiceField(
        queryset=CareService.objects.none(), label=_("Care service"), required=False
    )
    notes = forms.CharField(label=_("Notes for each visit"), required=False, widget=forms.Textarea)

    def __init__(
        self, *args: Any, clients: QuerySet[Client], nurses: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "client", forms.ModelChoiceField).queryset = clients
        form_field(self, "nurse", forms.ModelChoiceField).queryset = nurses
        form_field(self, "service", forms.ModelChoiceField).queryset = CareService.objects.order_by(
            "code"
        )

    def weekday_mask(self) -> int:
        return sum(1 << int(d) for d in self.cleaned_data["weekdays"])


class VisitCorrectForm(forms.Form):
    """A billed visit's correction: what really happened, and why (issue 19, item 4)."""

    minutes = forms.IntegerField(
        label=_("Minutes that were really spent"), min_value=0, max_value=1440
    )
    deviation_reason = forms.CharField(label=_("Reason for the correction"), max_length=300)
