"""The visit log page's report forms: `{% kbs_radios cp %}` (a form's K, B and S rows of
chips) and `{% report_forms problems %}` (the form of each problem, rendered once).

The visit log page shows a report form per active problem, each with three rows of five
radios; drawn through a template include per row, they were about a tenth of that page's CPU.
This writes the same markup (what templates/carenotes/_kbs_radios.html drew) in one pass.
"""

from types import SimpleNamespace
from typing import Any
from uuid import UUID

from django import template
from django.core.exceptions import ImproperlyConfigured
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
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


# `{% report_forms %}`: the report form, the same for every problem but for her id and name.
_STAND_IN_ID = UUID(int=0)
_STAND_IN_NAME = "\ue000problem\ue000"  # (private-use characters: in no name, kept by escape)


class _StandInProblem:
    """What the report form may read of the problem it is for: any other attribute fails
    loudly instead of being written as an empty string into every copy."""

    public_id = _STAND_IN_ID
    problem = SimpleNamespace(name=_STAND_IN_NAME)

    def __getattr__(self, name: str) -> Any:  # noqa: ANN401
        if name.startswith("__"):
            raise AttributeError(name)
        raise ImproperlyConfigured(
            f"{{% report_forms %}} gives its block cp.public_id and cp.problem.name, not {name}"
        )


class ReportFormsNode(template.Node):
    def __init__(self, problems: FilterExpression, nodelist: NodeList) -> None:
        self.problems = problems
        self.nodelist = nodelist

    def render(self, context: Context) -> SafeString:
        problems = self.problems.resolve(context) or []
        if not problems:
            return mark_safe("")
        with context.push(cp=_StandInProblem()):
            blank = self.nodelist.render(context)
        return mark_safe(  # noqa: S308 - the block was rendered with autoescape; values escaped
            "".join(
                blank.replace(str(_STAND_IN_ID), escape(cp.public_id)).replace(
                    _STAND_IN_NAME, escape(cp.problem.name)
                )
                for cp in problems
            )
        )


@register.tag
def report_forms(parser: Parser, token: Token) -> ReportFormsNode:
    """`{% report_forms problems %}…{% endreport_forms %}`: the block once per problem, as
    `cp`, of which it may use `cp.public_id` and `cp.problem.name`.

    The visit log page has a report form per active problem, each some thirty template nodes
    and identical but for those two values: the block is rendered once, for a stand-in
    problem, and copied for each problem with her id and (escaped) name put in. The same
    markup as a `{% for cp in problems %}` loop, for the price of one form."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% report_forms problems %} takes the problems")
    nodelist = parser.parse(("endreport_forms",))
    parser.delete_first_token()
    return ReportFormsNode(parser.compile_filter(bits[1]), nodelist)
