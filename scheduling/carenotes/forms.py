"""The shape of the report forms' input (the rules are the services')."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clients.models import ClientProblem
from scheduling.carenotes.models import SOAP_MAX, TEXT_MAX
from scheduling.carenotes.services import REPORT_EMPTY

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
SCORES = [(str(i), str(i)) for i in range(1, 6)]


def _soap(label: Any) -> forms.CharField:  # noqa: ANN401 (a lazy translated label)
    return forms.CharField(
        label=label,
        max_length=SOAP_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReportEditForm(forms.Form):
    """A report's words: what a change may touch."""

    text = forms.CharField(
        label=_("Report"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": REPORT_EMPTY},
    )
    subjective = _soap(_("S: what the client says"))
    objective = _soap(_("O: what you observed or measured"))
    assessment = _soap(_("A: your assessment"))
    plan = _soap(_("P: plan"))
    for_handover = forms.BooleanField(label=_("For handover"), required=False)


class ReportForm(ReportEditForm):
    """A new report: about a problem (or general), when, and optionally a KBS rating."""

    client_problem = forms.ChoiceField(label=_("About"), required=False)
    written_at = forms.DateTimeField(label=_("Written at"), widget=DATETIME, required=False)
    knowledge = forms.TypedChoiceField(
        label=_("Knowledge"),
        choices=SCORES,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    behavior = forms.TypedChoiceField(
        label=_("Behaviour"),
        choices=SCORES,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    status = forms.TypedChoiceField(
        label=_("Status"),
        choices=SCORES,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )

    field_order = ["client_problem", "text", "for_handover", "knowledge", "behavior", "status"]

    def __init__(self, *args: Any, problems: list[ClientProblem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.problems = {str(p.public_id): p for p in problems}
        field = self.fields["client_problem"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", _("General note")),
            *((k, p.problem.name) for k, p in self.problems.items()),
        ]

    def problem(self) -> ClientProblem | None:
        return self.problems.get(self.cleaned_data.get("client_problem") or "")

    def rating(self) -> dict[str, int | None]:
        return {p: self.cleaned_data.get(p) for p in ("knowledge", "behavior", "status")}

    def soap(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in ("subjective", "objective", "assessment", "plan", "for_handover")
        }


class TimelineFilterForm(forms.Form):
    problem = forms.ChoiceField(label=_("Problem"), required=False)
    author = forms.ChoiceField(label=_("Nurse"), required=False)
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
