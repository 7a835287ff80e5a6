"""What the medication table (templates/medication/_medication_table.html) writes per medicine,
worked out once per table: its links from one `reverse` per kind, and its form and route from
each choice translated once (`get_FOO_display` translates every choice of the field on each
call), as the client page's problem cards do (clients.views._add_problem_links)."""

from uuid import UUID

from django.db import models
from django.urls import reverse
from django.utils.encoding import force_str

from scheduling.medication.models import Medication

# Stands for a medicine's public id in the reversed links.
_MEDICATION_ID = str(UUID(int=1))
_LINKS = (
    ("history", "medication:history"),
    ("edit", "medication:edit"),
    ("stop", "medication:stop"),
)


def _choice_labels(field_name: str) -> dict[str, str]:
    """The labels `get_<field_name>_display` gives, in the active language."""
    field = Medication._meta.get_field(field_name)
    assert isinstance(field, models.Field)
    return {value: force_str(label, strings_only=True) for value, label in field.flatchoices}


def medication_table_rows(medications: list[Medication]) -> list[Medication]:
    """The table's rows: each medicine with `links` (history, edit, stop), `form_label` and
    `route_label`."""
    patterns = {key: reverse(name, args=[_MEDICATION_ID]) for key, name in _LINKS}
    forms = _choice_labels("form")
    routes = _choice_labels("route")
    for med in medications:
        public_id = str(med.public_id)
        med.links = {key: url.replace(_MEDICATION_ID, public_id) for key, url in patterns.items()}  # type: ignore[attr-defined]
        med.form_label = forms.get(med.form, med.form)  # type: ignore[attr-defined]
        med.route_label = routes.get(med.route, med.route)  # type: ignore[attr-defined]
    return medications
