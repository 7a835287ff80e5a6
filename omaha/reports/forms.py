from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from buurtzorg.forms import PlainSelect, form_field
from omaha.reports.models import ReportScope
from teams.models import Neighbourhood, Team

# At most this many options in a <select>; with more, the field is a search by name.
OPTIONS_MAX = 50
NAME_NOT_FOUND = _("Nothing matches “%(name)s”: check the name.")
NAME_AMBIGUOUS = _("Several match “%(name)s”: %(names)s. Type more of the name.")
NAME_HELP = _("Type the name, or a part of it that only one has.")


class NameSearchChoiceField(forms.ModelChoiceField):
    """One row of a queryset: a <select> among a few, a search by name among many.

    A coach chooses among her few teams; the back office among every team and neighbourhood
    of the organisation (1,000s each), where a <select> sent 2,000 options with every view of
    the form. `offer` reads at most OPTIONS_MAX + 1 rows to decide. As a search, the typed
    text is matched on the server when the form is sent (works without JavaScript): the one
    row with that name, else the one whose name contains it; none or several is an error at
    the field that keeps the text and names a few candidates.
    """

    searching = False
    offered: QuerySet = Team.objects.none()

    def offer(self, queryset: QuerySet) -> bool:
        """Choose among `queryset` (ordered by name); whether it offers anything at all."""
        self.queryset = self.offered = queryset.only("pk", "name")
        few = list(self.queryset[: OPTIONS_MAX + 1])
        if len(few) > OPTIONS_MAX:
            self.searching = True
            self.to_field_name = "name"  # the initial/selected row shows as its name
            self.widget = forms.TextInput(attrs={"type": "search", "maxlength": 120})
            self.help_text = str(NAME_HELP)
        else:
            # the options already read: rendering the <select> reads nothing again
            self.choices = [("", self.empty_label or ""), *((row.pk, row.name) for row in few)]
        return bool(few)

    def to_python(self, value: Any) -> Model | None:
        if not self.searching:
            return super().to_python(value)
        name = str(value or "").strip()
        if not name:
            return None
        exact = list(self.offered.filter(name__iexact=name)[:2])
        if len(exact) == 1:
            return exact[0]
        near = list(self.offered.filter(name__icontains=name)[:6])
        if len(near) == 1:
            return near[0]
        if not near:
            raise ValidationError(NAME_NOT_FOUND, code="not_found", params={"name": name})
        names = ", ".join(row.name for row in near[:5]) + (", …" if len(near) > 5 else "")
        raise ValidationError(
            NAME_AMBIGUOUS, code="ambiguous", params={"name": name, "names": names}
        )


class ReportForm(forms.Form):
    scope = forms.ChoiceField(choices=ReportScope.choices, label=_("Report for"))
    # PlainSelect for the few options; the many (back office) are a search (see the field).
    team = NameSearchChoiceField(
        queryset=Team.objects.none(), required=False, label=_("Team"), widget=PlainSelect
    )
    neighbourhood = NameSearchChoiceField(
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
        form_field(self, "team", NameSearchChoiceField).offer(teams)
        if not form_field(self, "neighbourhood", NameSearchChoiceField).offer(neighbourhoods):
            scope = form_field(self, "scope", forms.ChoiceField)
            scope.choices = [(ReportScope.TEAM, ReportScope.TEAM.label)]
