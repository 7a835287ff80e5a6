"""Helpers shared by page views."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe


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
        renderer: object = None,
    ) -> str:
        selected = {str(v) for v in self.format_value(value)}
        options = []
        for choice, label in self.choices:
            key = str(choice)
            mark = " selected" if key in selected else ""
            options.append(f'<option value="{escape(key)}"{mark}>{escape(label)}</option>')
        options = mark_safe("".join(options))  # noqa: S308 - every value and label escaped
        final_attrs = self.build_attrs(self.attrs, attrs)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final_attrs), options)
