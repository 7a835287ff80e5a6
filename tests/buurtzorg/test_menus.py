"""The menus are rendered once per role, language and unread count, and fill in the user, the
path and the CSRF token per request: the same HTML as {% include %} (issue 22, item 2)."""

import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.template import RequestContext, engines
from django.test import RequestFactory
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape

from buurtzorg.context_processors import MENU_URLS
from buurtzorg.templatetags import menus
from tests.factories.teams import AdminFactory, BackOfficeFactory, CoachFactory, NurseFactory

MENUS = ("_partials/nav.html", "_partials/tabbar.html")
# What the templates set themselves ({% get_current_language %}, the language loop, the badge).
TEMPLATE_VARIABLES = {"current_language", "languages", "code", "name", "counter", "forloop"}


def _request(user, path: str = "/clients/?q=<b>&page=2"):
    request = RequestFactory().get(path)
    request.user = user
    request.session = SessionStore()
    return request


def _render(source: str, request, **extra) -> str:
    page = engines["django"].from_string("{% load menus %}" + source)
    return page.render(extra, request)


def _tokens_of_the_page(source: str, request, **extra) -> str:
    """The render with its CSRF fields' token (a new mask per render) checked to be the page's
    one and then left out."""
    html, page_token = _render(source + "|{{ csrf_token }}", request, **extra).rsplit("|", 1)
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', html)
    assert tokens
    assert set(tokens) == {page_token}
    return html.replace(page_token, "TOKEN")


class _RecordingContext(RequestContext):
    """A request context that notes the top-level names a template reads."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.read: set[str] = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, otherwise=None):
        self.read.add(key)
        return super().get(key, otherwise)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)


@pytest.mark.parametrize("factory", [NurseFactory, CoachFactory, BackOfficeFactory, AdminFactory])
@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("unread", [0, 1, 3, 1234])
def test_a_menu_is_the_html_of_its_include(db, factory, language, unread) -> None:
    # given users of one role with names that need escaping
    first = factory(first_name="Ann <&>", last_name="O'Neil")
    second = factory(first_name="Bea", last_name='"de Wit"')
    with translation.override(language):
        for user, path in ((first, "/a/?next=<x>"), (second, "/b/"), (first, "/c/?q=1&r=2")):
            request = _request(user, path)
            for name in MENUS:
                # when the menu is rendered through the cache (twice: filled, then hit)
                counted = SimpleLazyObject(lambda: unread)
                cached = [
                    _tokens_of_the_page(f'{{% menu "{name}" %}}', request, nav_unread=counted)
                    for _ in "12"
                ]
                # then it is the include's HTML, with this request's name, path and token
                included = _tokens_of_the_page(
                    f'{{% include "{name}" %}}', request, nav_unread=unread
                )
                assert cached == [included, included], (name, language, unread)
                assert 'name="csrfmiddlewaretoken"' in included
                assert escape(str(user)) in included
                assert f'name="next" value="{escape(request.get_full_path())}"' in included


def test_the_back_offices_menus_count_no_unread_posts(db) -> None:
    # given a back-office page whose unread count would be a query
    request = _request(BackOfficeFactory())
    counted = []
    unread = SimpleLazyObject(lambda: counted.append(1) or 5)
    # when both menus are rendered, twice
    for _ in "12":
        for name in MENUS:
            _render(f'{{% menu "{name}" %}}', request, nav_unread=unread)
    # then the count was never asked for (her menus show no Messages badge)
    assert counted == []


def test_a_nurses_badge_follows_her_unread_count(db) -> None:
    # given a nurse whose menus were rendered with 2 unread posts
    request = _request(NurseFactory())
    with translation.override("en"):
        _render('{% menu "_partials/nav.html" %}', request, nav_unread=2)
        # when she has 1 then none
        one = _render('{% menu "_partials/nav.html" %}', request, nav_unread=1)
        none = _render('{% menu "_partials/nav.html" %}', request, nav_unread=0)
    # then the badge says so
    assert 'aria-label="1 unread">1</span>' in one
    assert "badge" not in none


@pytest.mark.parametrize("factory", [NurseFactory, CoachFactory, BackOfficeFactory, AdminFactory])
def test_menus_read_only_the_variables_of_their_cache_key(db, factory) -> None:
    # given a role's page context
    request = _request(factory())
    engine = engines["django"].engine
    allowed = set(menus.KEY_VARIABLES) | set(menus.PER_REQUEST_VARIABLES) | TEMPLATE_VARIABLES
    for name in MENUS:
        # when the menu template renders, the badge on
        context = _RecordingContext(request, {"nav_unread": 2})
        engine.get_template(name).render(context)
        # then every variable it read is in the cache key or filled per request: a new one
        # has to be added to menus.KEY_VARIABLES (or the menu would show a stale value)
        assert context.read - allowed - {"nav_unread"} == set(), name
        assert set(MENU_URLS) <= set(menus.KEY_VARIABLES)
