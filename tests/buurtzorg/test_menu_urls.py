"""The menus' links are reversed once, not on every page (issue 22: less work per request)."""

from unittest import mock

import django.urls
from django.urls import reverse

from buurtzorg import context_processors
from buurtzorg.context_processors import MENU_URLS


def test_menus_link_the_pages_of_a_nurse(client, access_world) -> None:
    # when a nurse opens a page
    client.force_login(access_world.nurse_a)
    html = client.get(reverse("scheduling:my-day")).content.decode()
    # then both menus link her pages, and the forms post where they did
    for name in ("scheduling:my-day", "clients:client-list", "teams:team-list", "incidents:list"):
        assert html.count(f'href="{reverse(name)}"') == 2, name
    assert html.count(f'action="{reverse("logout")}"') == 2


def test_a_page_reverses_none_of_the_menu_links(client, access_world) -> None:
    # given a first page view (the links are reversed once for this URLconf)
    client.force_login(access_world.back_office)
    client.get(reverse("billing:run-list"))
    # when the next page is rendered
    with (
        # ({% url %} imports django.urls.reverse when it renders)
        mock.patch.object(django.urls, "reverse", wraps=reverse) as in_templates,
        mock.patch.object(context_processors, "reverse", wraps=reverse) as in_processor,
    ):
        response = client.get(reverse("billing:run-list"))
    # then no menu link was reversed again, and the back office's menu is whole
    assert response.status_code == 200
    menu = set(MENU_URLS.values())
    assert in_templates.call_count > 0  # (the page's own links still go through the spy)
    assert [c for c in in_templates.call_args_list if c.args[0] in menu] == []
    assert in_processor.call_count == 0
    html = response.content.decode()
    for name in ("billing:run-list", "reports:report-list", "intake:list", "teams:organisation"):
        assert f'href="{reverse(name)}"' in html, name
