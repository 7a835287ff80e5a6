"""Shapes of page input. Rules live in clients.services; choices come from the vocabulary."""

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from buurtzorg.forms import form_field
from clients.models import (
    KEY_INFO_MAX_LENGTH,
    POLICY_NUMBER_LENGTH,
    ClientStatus,
    Insurer,
    Priority,
    RatingMoment,
    validate_bsn,
)
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
from teams.forms import NamePrefixField
from teams.names import (
    INITIALS_MAX_LENGTH,
    NAME_PREFIX_MAX_LENGTH,
    Sex,
    initials_validator,
    name_prefix_validator,
)


def _getlist(values: Any, key: str) -> list[str]:
    if hasattr(values, "getlist"):
        return values.getlist(key)
    value = values.get(key) or []
    return list(value) if isinstance(value, list | tuple) else [value]


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DutchNameFields(forms.Form):
    """The name the way Dutch records hold it (teams.names); clients and staff share it."""

    initials = forms.CharField(
        label=_("Initials"),
        max_length=INITIALS_MAX_LENGTH,
        required=False,
        validators=[initials_validator],
        help_text=_('Voorletters, e.g. "J.H.". Left empty: taken from the first name.'),
    )
    first_name = forms.CharField(
        label=_("First name"), max_length=80, help_text=_("The name she is called by.")
    )
    name_prefix = NamePrefixField(
        label=_("Name prefix"),
        max_length=NAME_PREFIX_MAX_LENGTH,
        required=False,
        validators=[name_prefix_validator],
        help_text=_('Tussenvoegsel, e.g. "de" or "van den"; lists sort on the last name.'),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=120,
        help_text=_('Without the prefix: "Jong", not "de Jong".'),
    )
    sex = forms.TypedChoiceField(
        label=_("Sex"),
        choices=Sex.choices,
        initial=Sex.UNKNOWN,
        required=False,
        empty_value=Sex.UNKNOWN,
    )


class ClientForm(DutchNameFields):
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DATE)
    bsn = forms.CharField(
        label=_("BSN"),
        max_length=9,
        min_length=9,
        help_text=_("9 digits; checked with the 11-test."),
        # The model's own validator, so the 11-test message shows with the other field
        # errors at once (the service and a check constraint still decide).
        validators=[validate_bsn],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    street = forms.CharField(label=_("Street"), max_length=120)
    house_number = forms.CharField(label=_("House number"), max_length=12)
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=8,
        help_text=_('For example "1091 AB". The postcode suggests the team.'),
    )
    city = forms.CharField(label=_("City"), max_length=80)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    insurer = forms.ModelChoiceField(label=_("Insurer"), queryset=Insurer.objects.order_by("name"))
    policy_number = forms.CharField(label=_("Policy number"), max_length=POLICY_NUMBER_LENGTH)
    gp_name = forms.CharField(label=capfirst(_("GP name")), max_length=120, required=False)
    gp_agb = forms.CharField(
        label=capfirst(_("GP AGB code")),
        max_length=8,
        required=False,
        help_text=_("8 digits."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    key_safe_note = forms.CharField(
        label=_("Key safe"),
        max_length=KEY_INFO_MAX_LENGTH,
        required=False,
        help_text=_("Where it is and how to open it; shown on My day."),
    )
    allergies = forms.CharField(
        label=_("Allergies"), max_length=KEY_INFO_MAX_LENGTH, required=False
    )
    alarm_note = forms.CharField(
        label=_("Alarm"),
        max_length=KEY_INFO_MAX_LENGTH,
        required=False,
        help_text=_("Personal alarm or house alarm: what to know at the door."),
    )
    admitted_on = forms.DateField(label=_("Admitted on"), widget=DATE)


class ClientEditForm(ClientForm):
    admitted_on = None  # type: ignore[assignment]


class ClientFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=80)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), *ClientStatus.choices],
        required=False,
        initial="",
    )
    problem = forms.ChoiceField(label=_("Active problem"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "problem", forms.ChoiceField).choices = [("", _("Any"))] + [
            (p.code, f"{p.code} {p.name}") for p in Problem.objects.order_by("number")
        ]


class DischargeForm(forms.Form):
    discharged_on = forms.DateField(label=_("Discharge date"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class IndicationForm(forms.Form):
    hours_per_week = forms.DecimalField(
        label=_("Hours per week"), max_digits=5, decimal_places=2, min_value=0
    )
    products = forms.CharField(label=_("Care products granted"), max_length=300)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_until = forms.DateField(label=_("Valid until"), widget=DATE, required=False)


class NetworkContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    relation = forms.CharField(
        label=_("Relation"), max_length=60, help_text=_("daughter, neighbour, friend…")
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    helps_with = forms.CharField(label=_("Helps with"), max_length=200, required=False)
    available_when = forms.CharField(label=_("When"), max_length=120, required=False)


class ResolveForm(forms.Form):
    resolved_on = forms.DateField(label=_("Resolved on"), widget=DATE)


class ProblemForm(forms.Form):
    """Cascading: domain narrows the problems; the problem decides the signs/symptoms offered.

    The listed signs/symptoms come first (searchable); "other" only with text and a reason.
    """

    domain = forms.ChoiceField(
        label=_("Domain"), required=False, help_text=_("Narrows the list of problems.")
    )
    problem = forms.ChoiceField(label=_("Problem"))
    scope = forms.ChoiceField(label=_("Scope"), choices=Scope.choices, initial=Scope.INDIVIDUAL)
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=Severity.choices,
        initial=Severity.ACTUAL,
        help_text=_("Signs/symptoms are recorded only for Actual problems."),
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, initial=Priority.HIGH
    )
    identified_on = forms.DateField(label=_("Identified on"), widget=DATE)
    sign_q = forms.CharField(label=_("Find a sign/symptom"), required=False, max_length=60)
    signs = forms.MultipleChoiceField(
        label=_("Signs/symptoms"), required=False, widget=forms.CheckboxSelectMultiple
    )
    other_text = forms.CharField(
        label=_('"Other" sign/symptom'),
        required=False,
        max_length=200,
        help_text=_("Only when none of the listed signs/symptoms fits."),
    )
    other_reason = forms.CharField(
        label=_("Why none of the listed ones fits"), required=False, max_length=300
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        values = self.data if self.is_bound else self.initial
        domain_code = values.get("domain") or ""
        problem_code = values.get("problem") or ""
        form_field(self, "domain", forms.ChoiceField).choices = [("", _("All domains"))] + [
            (d.code, d.name) for d in Domain.objects.order_by("number")
        ]
        problems = Problem.objects.order_by("number")
        if domain_code:
            problems = problems.filter(domain__code=domain_code)
        problem_choices = [("", _("Choose a problem"))] + [
            (p.code, f"{p.code} {p.name}") for p in problems
        ]
        form_field(self, "problem", forms.ChoiceField).choices = problem_choices
        if problem_code not in {code for code, _label in problem_choices}:
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
    category = forms.ChoiceField(label=_("Category"))
    target = forms.ChoiceField(label=_("Target"))
    target_other_text = forms.CharField(
        label=_('"Other" target'),
        required=False,
        max_length=120,
        help_text=_('Only for "other".'),
    )
    description = forms.CharField(
        label=_("What exactly, for this client"), widget=forms.Textarea(attrs={"rows": 3})
    )
    frequency = forms.CharField(
        label=_("Intended frequency"), required=False, max_length=80, help_text=_("e.g. daily")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "category", forms.ChoiceField).choices = [("", _("Choose a category"))] + [
            (c.code, c.name) for c in InterventionCategory.objects.order_by("number")
        ]
        form_field(self, "target", forms.ChoiceField).choices = [("", _("Choose a target"))] + [
            (t.code, t.name) for t in InterventionTarget.objects.order_by("number")
        ]


class RatingForm(forms.Form):
    rated_on = forms.DateField(label=_("Rated on"), widget=DATE)
    moment = forms.ChoiceField(label=_("Moment"), choices=RatingMoment.choices)
    knowledge = forms.TypedChoiceField(label=_("Knowledge"), coerce=int)
    behavior = forms.TypedChoiceField(label=_("Behavior"), coerce=int)
    status = forms.TypedChoiceField(label=_("Status"), coerce=int)
    expected_knowledge = forms.TypedChoiceField(
        label=_("Expected knowledge"), coerce=int, required=False, empty_value=None
    )
    expected_behavior = forms.TypedChoiceField(
        label=_("Expected behavior"), coerce=int, required=False, empty_value=None
    )
    expected_status = forms.TypedChoiceField(
        label=_("Expected status"), coerce=int, required=False, empty_value=None
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels: dict[str, list[tuple[int, str]]] = {"K": [], "B": [], "S": []}
        for row in RatingScoreLabel.objects.select_related("concept").order_by("score"):
            labels[row.concept.code].append((row.score, f"{row.score} {row.label}"))
        for field, code in (("knowledge", "K"), ("behavior", "B"), ("status", "S")):
            form_field(self, field, forms.ChoiceField).choices = [("", _("Choose")), *labels[code]]
            form_field(self, f"expected_{field}", forms.ChoiceField).choices = [
                ("", _("No expectation")),
                *labels[code],
            ]
