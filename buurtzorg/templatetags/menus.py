"""`{% load menus %}{% menu "_partials/nav.html" %}`: a menu template rendered once per process for
each set of values its markup depends on, then filled with the few per-request values.

The top menu and the phone tab bar are on every page and render the same ~30 translated labels
and links for every request of a role in a language (about 1.5 ms of a nurse's page). What they
depend on, read from the templates:

- the role flags and the links of buurtzorg.context_processors.navigation, the active language
  and settings.LANGUAGES (the language switch): the cache key, read from the page's context so a
  view that overrides one of them still gets its own entry;
- `nav_unread` (the Messages badge, a lazy COUNT): part of the key only for the entries whose
  render read it, so the back office's pages still run no COUNT;
- the user's name and role, the CSRF token and the current path (`next` of the language switch):
  per request. The template is rendered with markers in their place and the markers are
  replaced by what the same expressions give in the page's context.

tests/test_menus.py renders each role's menus both ways and fails when the template reads a
variable this list does not name.
"""

import re
from typing import Any

from django import template
from django.conf import settings
from django.template.base import Template
from django.template.context import Context
from django.template.engine import Engine
from django.utils.functional import LazyObject, SimpleLazyObject, empty
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from buurtzorg.context_processors import MENU_URLS

register = template.Library()

# The context variables that decide the markup, apart from nav_unread and the per-request values.
KEY_VARIABLES = ("nav_role", "is_nurse", "is_coach", "is_back_office", "is_admin_role", *MENU_URLS)
# Per-request values: the variable and the expressions of it the menus use.
PER_REQUEST_VARIABLES = ("user", "request", "csrf_token")
_MARK = "\x00{}\x00"
_MARK_RE = re.compile("\x00(\\d)\x00")
_USER, _ROLE, _PATH, _TOKEN = range(4)
# Entries per process: roles x languages x distinct unread counts; cleared when it passes this.
_MAX_ENTRIES = 2000


class _UserMark:
    def __str__(self) -> str:
        return _MARK.format(_USER)

    def get_role_display(self) -> str:
        return _MARK.format(_ROLE)


class _RequestMark:
    def get_full_path(self) -> str:
        return _MARK.format(_PATH)


class _Entry:
    """One render: its text between the markers, and the slot of each marker."""

    __slots__ = ("reads_unread", "slots", "texts")

    def __init__(self, html: str, reads_unread: bool) -> None:
        parts = _MARK_RE.split(html)
        self.texts: list[str] = parts[::2]
        self.slots: list[int] = [int(p) for p in parts[1::2]]
        self.reads_unread = reads_unread

    def fill(self, context: Context) -> SafeString:
        values: dict[int, str] = {}
        out = [self.texts[0]]
        for slot, text in zip(self.slots, self.texts[1:], strict=True):
            value = values.get(slot)
            if value is None:
                value = values[slot] = _slot(slot, context)
            out += (value, text)
        return mark_safe("".join(out))  # noqa: S308 - the template's own output, values escaped


_entries: dict[tuple[Any, ...], _Entry] = {}
_by_unread: dict[tuple[Any, ...], _Entry] = {}
_role_display = template.Variable("user.get_role_display")


def _forced(value: Any) -> Any:
    if isinstance(value, LazyObject):
        if value._wrapped is empty:
            value._setup()
        return value._wrapped
    return value


def _render(tpl: Template, context: Context, nav_unread: Any) -> tuple[str, bool]:
    unread = SimpleLazyObject(lambda: _forced(nav_unread))
    with context.push(
        user=_UserMark(), request=_RequestMark(), csrf_token=_MARK.format(_TOKEN), nav_unread=unread
    ):
        html = tpl.render(context)
    return html, unread._wrapped is not empty


def _slot(slot: int, context: Context) -> str:
    """What the template's expression at `slot` writes in this page's context."""
    if slot == _USER:
        return conditional_escape(context["user"])
    if slot == _ROLE:
        try:
            return conditional_escape(_role_display.resolve(context))
        except template.VariableDoesNotExist:
            return conditional_escape(_engine(context).string_if_invalid)
    if slot == _PATH:
        return conditional_escape(context["request"].get_full_path())
    return conditional_escape(context["csrf_token"])


def _engine(context: Context) -> Engine:
    return context.template.engine if context.template else Engine.get_default()


@register.simple_tag(takes_context=True)
def menu(context: Context, template_name: str) -> SafeString:
    """The menu template `template_name` as `{% include %}` would render it, from the cache."""
    tpl = _engine(context).get_template(template_name)
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED" or context.get("request") is None:
        return tpl.render(context)  # {% csrf_token %} writes no field, or no request
    key: tuple[Any, ...] = (
        tpl,
        get_language(),
        context.autoescape,
        tuple(map(tuple, settings.LANGUAGES)),
        tuple(context.get(name) for name in KEY_VARIABLES),
    )
    nav_unread = context.get("nav_unread")
    entry = _entries.get(key)
    if entry is not None and entry.reads_unread:
        entry = _by_unread.get((*key, _forced(nav_unread)))
    if entry is None:
        if len(_entries) + len(_by_unread) > _MAX_ENTRIES:
            _entries.clear()
            _by_unread.clear()
        html, reads_unread = _render(tpl, context, nav_unread)
        entry = _Entry(html, reads_unread)
        if reads_unread:
            # the badge's count decides the markup: one entry per count
            _entries[key] = _Entry("", reads_unread=True)
            _by_unread[(*key, _forced(nav_unread))] = entry
        else:
            _entries[key] = entry
    return entry.fill(context)
