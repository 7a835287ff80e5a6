"""Shapes of page input. Rules live in clients.services; choices come from the vocabulary."""

from typing import Any

from django import forms

from buurtzorg.forms import form_field
from clients.models import ClientStatus, Insurer, Priority, RatingMoment, validate_bsn
from omaha.models import (
    Domain,
    InterventionCategory,
    InterventionTarget,
    Problem,
    RatingScoreLabel,
    Scope,
    Severity,
)
from omaha.selectors import signs_for_problem


def _getlist(values: Any, key: str) -> list[str]:
    if hasattr(values, "getlist"):
        return values.getlist(key)
    value = values.get(key) or []
    return list(value) if isinstance(value, list | tuple) else [value]


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ClientForm(forms.Form):
    first_name = forms.CharField(max_length=80)
    last_name = forms.CharField(max_length=120)
    date_of_birth = forms.DateField(widget=DATE)
    bsn = forms.CharField(
        label="BSN",
        max_length=9,
        min_length=9,
        help_text="9 digits; checked with the 11-test.",
        # The model's own validator, so the 11-test message shows with the other field
        # errors at once (the service and a check constraint still decide).
        validators=[validate_bsn],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    street = forms.CharField(max_length=120)
    house_number = forms.CharField(max_length=12)
    postcode = forms.CharField(
        max_length=8, help_text='For example "1091 AB". The postcode suggests the team.'
    )
    city = forms.CharField(max_length=80)
    phone = forms.CharField(max_length=20, required=False)
    insurer = forms.ModelChoiceField(queryset=Insurer.objects.order_by("name"))
    policy_number = forms.CharField(max_length=30)
    gp_name = forms.CharField(label="GP name", max_length=120, required=False)
    gp_agb = forms.CharField(
        label="GP AGB code",
        max_length=8,
        required=False,
        help_text="8 digits.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    admitted_on = forms.DateField(widget=DATE)


class ClientEditForm(ClientForm):
    admitted_on = None  # type: ignore[assignment]


class ClientFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=80)
    status = forms.ChoiceField(
        choices=[("", "All"), *ClientStatus.choices], required=False, initial=""
    )
    problem = forms.ChoiceField(label="Active problem", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "problem", forms.ChoiceField).choices = [("", "Any")] + [
            (p.code, f"{p.code} {p.name}") for p in Problem.objects.order_by("number")
        ]


class DischargeForm(forms.Form):
    discharged_on = forms.DateField(label="Discharge date", widget=DATE)
    reason = forms.CharField(label="Reason", max_length=200)


class IndicationForm(forms.Form):
    hours_per_week = forms.DecimalField(max_digits=5, decimal_places=2, min_value=0)
    products = forms.CharField(label="Care products granted", max_length=300)
    valid_from = forms.DateField(widget=DATE)
    valid_until = forms.DateField(widget=DATE, required=False)


class NetworkContactForm(forms.Form):
    name = forms.CharField(max_length=120)
    relation = forms.CharField(max_length=60, help_text="daughter, neighbour, friend…")
    phone = forms.CharField(max_length=20, required=False)
    helps_with = forms.CharField(max_length=200, required=False)
    available_when = forms.CharField(label="When", max_length=120, required=False)


class ResolveForm(forms.Form):
    resolved_on = forms.DateField(label="Resolved on", widget=DATE)


class ProblemForm(forms.Form):
    """Cascading: domain narrows the problems; the problem decides the signs/symptoms offered.

    The listed signs/symptoms come first (searchable); "other" only with text and a reason.
    """

    domain = forms.ChoiceField(required=False, help_text="Narrows the list of problems.")
    problem = forms.ChoiceField()
    scope = forms.ChoiceField(choices=Scope.choices, initial=Scope.INDIVIDUAL)
    severity = forms.ChoiceField(
        choices=Severity.choices,
        initial=Severity.ACTUAL,
        help_text="Signs/symptoms are recorded only for Actual problems.",
    )
    priority = forms.ChoiceField(choices=Priority.choices, initial=Priority.HIGH)
    identified_on = forms.DateField(widget=DATE)
    sign_q = forms.CharField(label="Find a sign/symptom", required=False, max_length=60)
    signs = forms.MultipleChoiceField(
        label="Signs/symptoms", required=False, widget=forms.CheckboxSelectMultiple
    )
    other_text = forms.CharField(
        label='"Other" sign/symptom',
        required=False,
        max_length=200,
        help_text="Only when none of the listed signs/symptoms fits.",
    )
    other_reason = forms.CharField(
        label="Why none of the listed ones fits", required=False, max_length=300
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        values = self.data if self.is_bound else self.initial
        domain_code = values.get("domain") or ""
        problem_code = values.get("problem") or ""
        form_field(self, "domain", forms.ChoiceField).choices = [("", "All domains")] + [
            (d.code, d.name) for d in Domain.objects.order_by("number")
        ]
        problems = Problem.objects.order_by("number")
        if domain_code:
            problems = problems.filter(domain__code=domain_code)
        problem_choices = [("", "Choose a problem")] + [
            (p.code, f"{p.code} {p.name}") for p in problems
        ]
        form_field(self, "problem", forms.ChoiceField).choices = problem_choices
        if problem_code not in {code for code, _ in problem_choices}:
            problem_code = ""  # the domain changed: the old problem is no longer offered
        all_signs = list(signs_for_problem(problem_code=problem_code)) if problem_code else []
        form_field(self, "signs", forms.ChoiceField).choices = [(s.key, s.name) for s in all_signs]
        query = (values.get("sign_q") or "").strip().lower()
        chosen = set(_getlist(values, "signs"))
        # The search narrows what is shown; chosen signs stay submitted as hidden inputs.
        self.shown_signs = [
            s for s in all_signs if not query or query in s.name.lower() or query == s.key
        ]
        shown_keys = {s.key for s in self.shown_signs}
        self.hidden_chosen = sorted(k for k in chosen if k not in shown_keys)
        self.chosen = chosen
        self.problem_code = problem_code


class InterventionForm(forms.Form):
    category = forms.ChoiceField()
    target = forms.ChoiceField()
    target_other_text = forms.CharField(
        label='"Other" target', required=False, max_length=120, help_text='Only for "other".'
    )
    description = forms.CharField(
        label="What exactly, for this client", widget=forms.Textarea(attrs={"rows": 3})
    )
    frequency = forms.CharField(
        label="Intended frequency", required=False, max_length=80, help_text="e.g. daily"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "category", forms.ChoiceField).choices = [("", "Choose a category")] + [
            (c.code, c.name) for c in InterventionCategory.objects.order_by("number")
        ]
        form_field(self, "target", forms.ChoiceField).choices = [("", "Choose a target")] + [
            (t.code, t.name) for t in InterventionTarget.objects.order_by("number")
        ]


class RatingForm(forms.Form):
    rated_on = forms.DateField(widget=DATE)
    moment = forms.ChoiceField(choices=RatingMoment.choices)
    knowledge = forms.TypedChoiceField(coerce=int)
    behavior = forms.TypedChoiceField(coerce=int)
    status = forms.TypedChoiceField(coerce=int)
    expected_knowledge = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    expected_behavior = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    expected_status = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    note = forms.CharField(required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels: dict[str, list[tuple[int, str]]] = {"K": [], "B": [], "S": []}
        for row in RatingScoreLabel.objects.select_related("concept").order_by("score"):
            labels[row.concept.code].append((row.score, f"{row.score} {row.label}"))
        for field, code in (("knowledge", "K"), ("behavior", "B"), ("status", "S")):
            form_field(self, field, forms.ChoiceField).choices = [("", "Choose"), *labels[code]]
            form_field(self, f"expected_{field}", forms.ChoiceField).choices = [
                ("", "No expectation"),
                *labels[code],
            ]
