"""Helpers shared by page views."""

import html
from collections.abc import Iterator
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
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

    When the page has read the options already (`read_choices`), they are listed from those
    rows and the queryset is not read to show them.
    """

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = getattr(self.field, "read_rows", None)
        for obj in self.queryset if rows is None else rows:
            yield self.choice(obj)

    def __len__(self) -> int:
        rows = getattr(self.field, "read_rows", None)
        if rows is None:
            return super().__len__()
        return len(rows) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self) -> bool:
        rows = getattr(self.field, "read_rows", None)
        if rows is None:
            return super().__bool__()
        return self.field.empty_label is not None or bool(rows)


def read_choices(field: forms.ModelChoiceField, queryset: QuerySet[Any], rows: list[Any]) -> None:
    """Give a read-once choice field the options its page has read (`rows`, e.g. from a
    compiled statement): they are what it shows, while a posted choice is still checked
    against `queryset`, which must describe the same rows."""
    if not issubclass(field.iterator, ReadOnceChoiceIterator):
        raise TypeError(f"{type(field).__name__} does not list options from rows it is given")
    field.queryset = queryset
    field.read_rows = rows  # type: ignore[attr-defined]


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


def escape_fast(value: object) -> str:
    """`conditional_escape(value)` without its lazy-text wrapper, which costs more than the
    escaping: safe text as it is, anything else through `html.escape`, as Django's `escape`
    does. For markup written in Python hundreds of times a page."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def input_tag(widget: dict[str, Any]) -> SafeString:
    """The `<input>` that django/forms/widgets/input.html (with attrs.html) writes for a
    widget's context: attribute for attribute in the same order, with the same escaping."""
    parts = [f'<input type="{escape_fast(widget["type"])}" name="{escape_fast(widget["name"])}"']
    if widget["value"] is not None:
        parts.append(f' value="{escape_fast(widget["value"])}"')
    for name, value in widget["attrs"].items():
        if value is True:
            parts.append(f" {escape_fast(name)}")
        elif value is not False:
            parts.append(f' {escape_fast(name)}="{escape_fast(value)}"')
    return mark_safe("".join(parts) + ">")  # noqa: S308 - every part escaped above


class _PlainOptionTags:
    """Radio and checkbox options whose `<input>` is written in Python, not through templates.

    A template loop over a choice field's options (`{% for radio in field %}{{ radio.tag }}`)
    renders each option's input through three nested templates (option, input, attributes),
    about a third of a millisecond apiece: the visit log's K/B/S ratings are 15 options per
    problem, a quarter of that page's CPU. `tag()` comes here (the widget's `_render` with
    its option template); this writes the same markup (`input_tag`). Anything else (the whole
    widget, a label-wrapped option) is rendered by Django's templates as before.
    """

    def _render(
        self, template_name: str, context: dict[str, Any], renderer: BaseRenderer | None = None
    ) -> SafeString:
        widget = context["widget"]
        option_template = getattr(self, "option_template_name", None)
        if template_name != option_template or widget.get("wrap_label"):
            return super()._render(template_name, context, renderer)  # type: ignore[misc]
        return input_tag(widget)


class PlainTextInput(forms.TextInput):
    """`forms.TextInput` written in Python (`input_tag`): the same markup as its template
    (django/forms/widgets/text.html only includes input.html), without three template
    renders (input, text, attributes) per box."""

    def render(
        self,
        name: str,
        value: object,
        attrs: dict | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        return input_tag(self.get_context(name, value, attrs)["widget"])


class PlainRadioSelect(_PlainOptionTags, forms.RadioSelect):
    """`forms.RadioSelect` whose options' tags are written in Python (see `_PlainOptionTags`)."""


class PlainCheckboxSelectMultiple(_PlainOptionTags, forms.CheckboxSelectMultiple):
    """`forms.CheckboxSelectMultiple` whose options' tags are written in Python."""
