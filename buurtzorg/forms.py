"""Helpers shared by page views."""

from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError
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
