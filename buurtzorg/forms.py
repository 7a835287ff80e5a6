"""Helpers shared by page views."""

from collections.abc import Iterator
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import BaseRenderer
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

_Field = TypeVar("_Field", bound=forms.Field)


def form_field(form: forms.BaseForm, name: str, kind: type[_Field]) -> _Field:
    """`form.fields[name]` as the field class it is. `fields` holds plain `Field`s as far as the
    type checker knows; a form that narrows a choice field's options for one request (its
    `queryset` or `choices`) reaches them through this, and a wrong kind fails loudly."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{name} is a {type(field).__name__}, not a {kind.__name__}")
    return field


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Attach a service's ValidationError to the form: field errors where a field exists."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


class ReadOnceChoiceIterator(ModelChoiceIterator):
    """A model choice field's options read from its queryset's own rows: one query per form.

    Django's iterator lists the options with `queryset.iterator()`, a new query (through a
    server-side cursor) every time they are listed, so a template that asks whether there are
    any (`{% if field.field.queryset %}`) and then lists them read them twice. This one
    iterates the queryset itself, which keeps its rows once read. A form's fields are copies
    with their own queryset, so nothing is kept beyond the form.
    """

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ReadOnceModelChoiceField(forms.ModelChoiceField):
    """`forms.ModelChoiceField` whose options are read once (see `ReadOnceChoiceIterator`)."""

    iterator = ReadOnceChoiceIterator


class PlainSelect(forms.Select):
    """A <select> whose options are written in Python, not through a template each.

    Django renders every <option> through its own template include, about half a
    millisecond apiece: a choice among 1,000 teams and 1,000 neighbourhoods took most of a
    second. This widget writes the same markup (attributes from the bound field, the
    selected option, escaped labels) in one pass. Flat choices only: no option groups.
    """

    def render(
        self,
        name: str,
        value: object,
        attrs: dict | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        selected = {str(v) for v in self.format_value(value)}
        rows = []
        for choice, label in self.choices:
            key = str(choice)
            mark = " selected" if key in selected else ""
            rows.append(f'<option value="{escape(key)}"{mark}>{escape(label)}</option>')
        options = mark_safe("".join(rows))  # noqa: S308 - every value and label escaped
        final_attrs = self.build_attrs(self.attrs, attrs)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final_attrs), options)


class _PlainOptionTags:
    """Radio and checkbox options whose `<input>` is written in Python, not through templates.

    A template loop over a choice field's options (`{% for radio in field %}{{ radio.tag }}`)
    renders each option's input through three nested templates (option, input, attributes),
    about a third of a millisecond apiece: the visit log's K/B/S ratings are 15 options per
    problem, a quarter of that page's CPU. `tag()` comes here (the widget's `_render` with
    its option template); this writes the same markup, attribute for attribute in the same
    order, with the same escaping. Anything else (the whole widget, a label-wrapped option)
    is rendered by Django's templates as before.
    """

    def _render(
        self, template_name: str, context: dict[str, Any], renderer: BaseRenderer | None = None
    ) -> SafeString:
        widget = context["widget"]
        option_template = getattr(self, "option_template_name", None)
        if template_name != option_template or widget.get("wrap_label"):
            return super()._render(template_name, context, renderer)  # type: ignore[misc]
        parts = [format_html('<input type="{}" name="{}"', widget["type"], widget["name"])]
        if widget["value"] is not None:
            parts.append(format_html(' value="{}"', widget["value"]))
        for name, value in widget["attrs"].items():  # as django/forms/widgets/attrs.html
            if value is True:
                parts.append(format_html(" {}", name))
            elif value is not False:
                parts.append(format_html(' {}="{}"', name, value))
        return mark_safe("".join(parts) + ">")  # noqa: S308 - every part escaped above


class PlainRadioSelect(_PlainOptionTags, forms.RadioSelect):
    """`forms.RadioSelect` whose options' tags are written in Python (see `_PlainOptionTags`)."""


class PlainCheckboxSelectMultiple(_PlainOptionTags, forms.CheckboxSelectMultiple):
    """`forms.CheckboxSelectMultiple` whose options' tags are written in Python."""
