"""`{% report_forms %}` writes what a `{% for %}` over the problems wrote, rendering once."""

from types import SimpleNamespace
from uuid import uuid4

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template

BLOCK = (
    '<form id="f-{{ cp.public_id }}"><h3>{{ cp.problem.name }}</h3>{{ note }}'
    "{% kbs_radios cp %}</form>"
)


def _problem(name: str) -> SimpleNamespace:
    return SimpleNamespace(public_id=uuid4(), problem=SimpleNamespace(name=name))


def test_report_forms_is_the_loop_s_markup_with_each_problem_s_id_and_escaped_name() -> None:
    # given two problems, one whose name needs escaping
    problems = [_problem("Pain"), _problem('Skin <"wound"> & care')]
    context = {"problems": problems, "note": "a <b>"}
    # when the block is written by the tag and by a plain loop
    tag = Template(
        "{% load carenotes_forms %}{% report_forms problems %}" + BLOCK + "{% endreport_forms %}"
    ).render(Context(context))
    loop = Template(
        "{% load carenotes_forms %}{% for cp in problems %}" + BLOCK + "{% endfor %}"
    ).render(Context(context))
    # then the markup is the same, each problem's id and name in its own copy
    assert tag == loop
    assert "Skin &lt;&quot;wound&quot;&gt; &amp; care" in tag
    assert all(f'id="f-{p.public_id}"' in tag for p in problems)
    assert (
        Template(
            "{% load carenotes_forms %}{% report_forms problems %}x{% endreport_forms %}"
        ).render(Context({"problems": []}))
        == ""
    )


def test_report_forms_refuses_a_block_that_reads_more_of_the_problem() -> None:
    # a block that used another attribute would show the stand-in's in every copy
    block = (
        "{% load carenotes_forms %}{% report_forms problems %}{{ cp.status }}{% endreport_forms %}"
    )
    with pytest.raises(ImproperlyConfigured, match="not status"):
        Template(block).render(Context({"problems": [_problem("Pain")]}))
