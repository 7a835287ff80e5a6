"""`{% load carenotes_forms %}{% kbs_radios cp %}`: a report form's K, B and S rows of chips.

The visit log page shows a report form per active problem, each with three rows of five
radios; drawn through a template include per row, they were about a tenth of that page's CPU.
This writes the same markup (what templates/carenotes/_kbs_radios.html drew) in one pass.
"""

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def kbs_radios(cp: Any) -> SafeString:
    """The three fieldsets (Knowledge, Behaviour, Status) for the report on problem `cp`."""
    problem = escape(cp.public_id)
    rows = []
    for part, label in (
        ("knowledge", _("Knowledge")),
        ("behavior", _("Behaviour")),
        ("status", _("Status")),
    ):
        chips = "".join(
            f'<label class="chip" for="{part}-{problem}-{score}"><input type="radio" '
            f'id="{part}-{problem}-{score}" name="{part}" value="{score}"><span>{score}</span>'
            "</label>"
            for score in "12345"
        )
        rows.append(
            f'<fieldset class="field"><legend>{escape(label)}</legend><div class="chips">\n'
            f"  {chips}\n</div></fieldset>\n"
        )
    return mark_safe("    ".join(rows))  # noqa: S308 -- the id is escaped, the rest fixed
