"""The installable app on a nurse's phone (issue 18): manifest and service worker, My day from
the phone's cache without a network, and the cached day forgotten at log out and at day end."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, page_check
from tests.factories import ClientFactory, MembershipFactory, VisitFactory

pytestmark = pytest.mark.django_db(transaction=True)

DAY_CACHES = "async () => (await caches.keys()).filter(name => name.startsWith('bz-day-'))"
WORKER_READY = """async () => {
  const registration = await navigator.serviceWorker.ready;
  return {scope: registration.scope, active: !!registration.active};
}"""


def _nurse_with_a_visit_today() -> tuple:
    membership = MembershipFactory(nurse__first_name="Noor")
    nurse, team = membership.nurse, membership.team
    client_record = ClientFactory(team=team, first_name="Jan", last_name="de Vries")
    VisitFactory(client=client_record, nurse=nurse, day=timezone.localdate(), at=dt.time(9))
    return nurse, client_record


def test_my_day_is_installable_and_shows_without_a_network(phone_page: Page) -> None:
    # given a nurse who opened My day once this morning, with the network on
    nurse, _client_record = _nurse_with_a_visit_today()
    log_in(phone_page, nurse.username)
    my_day = reverse("scheduling:my-day")
    expect(phone_page.get_by_role("heading", name="Today")).to_be_visible()

    # then the page is installable: a manifest with its fields and a worker for the whole site
    manifest = phone_page.evaluate(
        """async () => {
             const link = document.querySelector('link[rel=manifest]');
             return await (await fetch(link.href)).json();
           }"""
    )
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/"
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    theme = phone_page.locator('meta[name="theme-color"]').get_attribute("content")
    assert theme == manifest["theme_color"]
    worker = phone_page.evaluate(WORKER_READY)
    assert worker["active"]
    assert worker["scope"] == phone_page.url.split(my_day)[0] + "/"
    # (the first visit installed the worker; the next load of My day is the one it keeps)
    phone_page.reload()
    expect(phone_page.get_by_role("heading", name="Today")).to_be_visible()
    phone_page.wait_for_function(
        "async () => (await caches.keys()).some(name => name.startsWith('bz-day-'))"
    )

    # when she goes into a basement without signal and opens My day again
    phone_page.context.set_offline(True)
    phone_page.reload()

    # then her day is there, styled (the shell is cached too)
    expect(phone_page.get_by_role("heading", name="Today")).to_be_visible()
    expect(phone_page.locator("article.visit")).to_contain_text("Jan de Vries")
    assert phone_page.locator("nav.tabbar").is_visible()
    page_check(phone_page, "nurse-my-day-offline", keyboard=False)

    # back online, logging out forgets the day on the phone
    phone_page.context.set_offline(False)
    phone_page.locator("nav.tabbar summary").tap()
    with phone_page.expect_navigation():
        phone_page.locator("nav.tabbar").get_by_role("button", name="Log out").tap()
    phone_page.wait_for_function(f"async () => ({DAY_CACHES})().then(n => n.length === 0)")
    assert phone_page.evaluate(DAY_CACHES) == []

    # and offline, My day is no longer on the phone
    phone_page.context.set_offline(True)
    with pytest.raises(Exception, match="ERR_FAILED|ERR_INTERNET_DISCONNECTED"):
        phone_page.goto(my_day)


def test_a_cached_day_is_dropped_when_a_new_day_starts(phone_page: Page) -> None:
    nurse, _client_record = _nurse_with_a_visit_today()
    log_in(phone_page, nurse.username)
    phone_page.evaluate("async () => navigator.serviceWorker.ready")
    # given a day cached yesterday (as the worker names it) still on the phone
    phone_page.evaluate(
        """async () => {
             const cache = await caches.open('bz-day-2000-01-01');
             await cache.put('/scheduling/', new Response('old day'));
           }"""
    )
    # when the phone makes its first request of the new day
    phone_page.reload()
    expect(phone_page.get_by_role("heading", name="Today")).to_be_visible()
    # then yesterday's day is gone and only today's is kept
    phone_page.wait_for_function(
        f"async () => ({DAY_CACHES})().then(n => !n.includes('bz-day-2000-01-01'))"
    )
    today = dt.date.today().isoformat()  # the phone's date, as the worker names its cache
    assert phone_page.evaluate(DAY_CACHES) in ([], [f"bz-day-{today}"])
