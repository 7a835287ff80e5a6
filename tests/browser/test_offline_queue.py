"""A morning round without a network (issue 18): My day and today's visit pages from the phone's
cache, visits logged offline (as planned, with another duration, with a report), and on
reconnect exactly those logs on the server with the offline times, once. A log page put in the
queue leaves no draft behind (static/js/drafts.js); one the phone could not keep stays in the
form, with its draft."""

import datetime as dt
import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from scheduling.carenotes.models import CareReport
from scheduling.models import Visit, VisitLogKey, VisitStatus
from tests.browser.conftest import log_in, page_check
from tests.factories import ClientFactory, MembershipFactory, VisitFactory

pytestmark = pytest.mark.django_db(transaction=True)

DRAFT_KEYS = "() => Object.keys(localStorage).filter(k => k.startsWith('bz-draft'))"


def wait_until(page: Page, script: str, arg: object = None, timeout: float = 10) -> None:
    """Poll an async script until it answers true (wait_for_function would take the promise
    an async function returns for a true answer)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script, arg):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {script}"
        time.sleep(0.1)


def earlier_today(count: int) -> list[dt.time]:
    """`count` start times today, 35 minutes apart (a visit lasts 30), that have already begun
    (a visit not yet due cannot be logged), whatever the hour the test runs at."""
    now = timezone.localtime()
    start = max(now - dt.timedelta(hours=2), now.replace(hour=0, minute=0))
    return [
        (start + dt.timedelta(minutes=35 * i)).time().replace(second=0, microsecond=0)
        for i in range(count)
    ]


def test_three_visits_logged_offline_reach_the_server_exactly_once(phone_page: Page) -> None:
    # given a nurse with three visits today who opened My day with the network on
    membership = MembershipFactory(nurse__first_name="Noor")
    nurse, team = membership.nurse, membership.team
    today = timezone.localdate()
    visits = [
        VisitFactory(client=ClientFactory(team=team), nurse=nurse, day=today, at=at)
        for at in earlier_today(3)
    ]
    log_in(phone_page, nurse.username)
    phone_page.evaluate("async () => navigator.serviceWorker.ready")
    phone_page.reload()
    wait_until(phone_page, "async () => (await caches.keys()).some(n => n.startsWith('bz-day-'))")

    # when she loses the network, opens My day again and taps "Done as planned" three times
    phone_page.context.set_offline(True)
    phone_page.reload()
    status = phone_page.locator("#offline-status")
    expect(status).to_contain_text("All logs sent.")
    before = timezone.now()
    for visit in visits:
        phone_page.locator(f"#visit-{visit.public_id}").get_by_role(
            "button", name="Done as planned"
        ).tap()
    expect(status).to_contain_text("3 waiting to send")
    after = timezone.now()
    page_check(phone_page, "nurse-my-day-offline-queue", keyboard=False)
    assert not Visit.objects.filter(status=VisitStatus.DONE).exists()

    # and the network comes back
    phone_page.context.set_offline(False)
    expect(status).to_contain_text("All logs sent.", timeout=10_000)

    # then the server has exactly three logs, at the times of her taps
    done = Visit.objects.filter(status=VisitStatus.DONE)
    assert done.count() == 3
    for visit in done:
        assert (
            before - dt.timedelta(seconds=1) <= visit.logged_at <= after + dt.timedelta(seconds=1)
        )
    keys = list(VisitLogKey.objects.values_list("key", "acted_at"))
    assert len(keys) == 3

    # and sending the same queue a second time changes nothing
    logged = {v.pk: v.logged_at for v in done}
    for key, acted_at in keys:
        visit = VisitLogKey.objects.get(key=key).visit
        answer = phone_page.evaluate(
            """async ([url, key, at]) => {
                 const csrf = document.querySelector('input[name=csrfmiddlewaretoken]').value;
                 const r = await fetch(url, {method: 'POST', headers: {
                   'Content-Type': 'application/json', 'X-CSRFToken': csrf},
                   body: JSON.stringify({idempotency_key: key, acted_at: at})});
                 return r.status; }""",
            [f"/api/visits/{visit.public_id}/log/", str(key), acted_at.isoformat()],
        )
        assert answer == 200
    assert VisitLogKey.objects.count() == 3
    assert {v.pk: v.logged_at for v in Visit.objects.filter(status=VisitStatus.DONE)} == logged


def test_a_round_with_another_duration_and_a_report_reaches_the_server_once(
    phone_page: Page,
) -> None:
    # given a nurse with three visits today who opened My day with the network on, so the
    # phone keeps today's visit pages too
    membership = MembershipFactory(nurse__first_name="Noor")
    nurse, team = membership.nurse, membership.team
    today = timezone.localdate()
    first, second, third = (
        VisitFactory(client=ClientFactory(team=team), nurse=nurse, day=today, at=at)
        for at in earlier_today(3)
    )
    log_in(phone_page, nurse.username)
    phone_page.evaluate("async () => navigator.serviceWorker.ready")
    phone_page.reload()
    pages = [f"/scheduling/visits/{v.public_id}/log/" for v in (first, second, third)]
    pages.append("/scheduling/today/clients/")
    kept = """async (pages) => {
         const names = (await caches.keys()).filter(n => n.startsWith('bz-day-'));
         if (!names.length) return false;
         const cache = await caches.open(names[0]);
         for (const p of pages) { if (!(await cache.match(p))) return false; }
         return true; }"""
    wait_until(phone_page, kept, pages)

    # when she loses the network and reloads My day, it shows from the phone
    phone_page.context.set_offline(True)
    phone_page.reload()
    status = phone_page.locator("#offline-status")
    expect(status).to_contain_text("All logs sent.")
    # and today's clients' summary too
    phone_page.get_by_role("link", name="Today's clients").tap()
    expect(phone_page.locator(f"#client-{third.public_id}")).to_contain_text(
        third.client.address_line
    )
    phone_page.go_back()
    before = timezone.now()
    # the first visit: done as planned, one tap
    phone_page.locator(f"#visit-{first.public_id}").get_by_role(
        "button", name="Done as planned"
    ).tap()
    expect(status).to_contain_text("1 waiting to send")
    # the second: 45 minutes instead of 30, with the reason, on its log page
    phone_page.locator(f"#visit-{second.public_id}").get_by_role("link", name="Other…").tap()
    phone_page.get_by_role("radio", name="45 min").tap()
    phone_page.locator("[name=deviation_reason]").fill("Stairs, lift out of order")
    assert phone_page.evaluate(DRAFT_KEYS) == [f"bz-draft:visit-log:{pages[1]}"]
    phone_page.get_by_role("button", name="Save", exact=True).tap()
    expect(phone_page).to_have_url(re.compile(r"/scheduling/$"))
    expect(status).to_contain_text("2 waiting to send")
    # and the queue kept it, so no draft of it is left: opened again, its form is empty
    assert phone_page.evaluate(DRAFT_KEYS) == []
    phone_page.locator(f"#visit-{second.public_id}").get_by_role("link", name="Other…").tap()
    expect(phone_page.get_by_role("radio", name="45 min")).not_to_be_checked()
    expect(phone_page.locator("[name=deviation_reason]")).to_have_value("")
    phone_page.go_back()
    expect(status).to_contain_text("2 waiting to send")
    # the third: a general note, then the log as planned
    phone_page.locator(f"#visit-{third.public_id}").get_by_role("link", name="Other…").tap()
    phone_page.locator("#text-general").fill("Daughter visits on Sundays now.")
    phone_page.get_by_role("button", name="Add general note").tap()
    expect(phone_page.locator(".offline-queued")).to_be_visible()
    expect(status).to_contain_text("3 waiting to send")
    page_check(phone_page, "nurse-visit-log-offline-queue", keyboard=False)
    phone_page.get_by_role("button", name="Save", exact=True).tap()
    expect(status).to_contain_text("4 waiting to send")
    after = timezone.now()
    assert phone_page.evaluate(DRAFT_KEYS) == []
    assert not Visit.objects.filter(status=VisitStatus.DONE).exists()
    assert not CareReport.objects.exists()

    # and the network comes back
    phone_page.context.set_offline(False)
    expect(status).to_contain_text("All logs sent.", timeout=15_000)

    # then the server has exactly three logs and the report, at the times she did them
    done = {v.pk: v for v in Visit.objects.filter(status=VisitStatus.DONE)}
    assert set(done) == {first.pk, second.pk, third.pk}
    assert (done[second.pk].logged_minutes, done[second.pk].deviation_reason) == (
        45,
        "Stairs, lift out of order",
    )
    assert done[first.pk].logged_minutes == done[third.pk].logged_minutes == 30
    slack = dt.timedelta(seconds=1)
    for visit in done.values():
        assert before - slack <= visit.logged_at <= after + slack
    report = CareReport.objects.get()
    assert (report.visit_id, report.text) == (third.pk, "Daughter visits on Sundays now.")
    assert before - slack <= report.written_at <= after + slack
    assert VisitLogKey.objects.count() == 4

    # and sending the same queue a second time changes nothing
    logged = {pk: (v.logged_at, v.logged_minutes) for pk, v in done.items()}
    for row in VisitLogKey.objects.select_related("visit"):
        answer = phone_page.evaluate(
            """async ([url, body]) => {
                 const csrf = JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken'];
                 const r = await fetch(url, {method: 'POST', headers: {
                   'Content-Type': 'application/json', 'X-CSRFToken': csrf},
                   body: JSON.stringify(body)});
                 return [r.status, (await r.json()).status]; }""",
            [
                f"/api/visits/{row.visit.public_id}/offline/",
                {"key": str(row.key), "kind": row.kind, "at": row.acted_at.isoformat()},
            ],
        )
        assert answer == [200, "repeated"]
    assert VisitLogKey.objects.count() == 4
    assert CareReport.objects.count() == 1
    now_logged = {
        v.pk: (v.logged_at, v.logged_minutes) for v in Visit.objects.filter(status=VisitStatus.DONE)
    }
    assert now_logged == logged

    # and logging out forgets the day's pages on the phone
    with phone_page.expect_navigation():
        phone_page.evaluate(
            """() => { const form = [...document.querySelectorAll('form')]
                 .find(f => new URL(f.action).pathname.endsWith('/accounts/logout/'));
                 setTimeout(() => form.requestSubmit(), 0); }"""
        )
    wait_until(phone_page, "async () => !(await caches.keys()).some(n => n.startsWith('bz-day-'))")


def test_a_log_the_phone_cannot_keep_stays_in_the_form_and_in_its_draft(phone_page: Page) -> None:
    # given a nurse on her visit's log page who has lost the network and filled it in
    membership = MembershipFactory(nurse__first_name="Noor")
    visit = VisitFactory(
        client=ClientFactory(team=membership.team),
        nurse=membership.nurse,
        day=timezone.localdate(),
        at=earlier_today(1)[0],
    )
    url = f"/scheduling/visits/{visit.public_id}/log/"
    log_in(phone_page, membership.nurse.username)
    phone_page.goto(url)
    phone_page.context.set_offline(True)
    phone_page.get_by_role("radio", name="45 min").tap()
    phone_page.locator("[name=deviation_reason]").fill("Stairs, lift out of order")
    # when the phone cannot keep the queue (its storage is full)
    phone_page.evaluate(
        """() => { indexedDB.open = () => {
             throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); }; }"""
    )
    phone_page.get_by_role("button", name="Save", exact=True).tap()
    # then she stays on the page and is told, with what she filled in
    expect(phone_page.locator(".offline-failed")).to_contain_text(
        "Could not keep this on the phone"
    )
    assert phone_page.url.endswith(url)
    expect(phone_page.get_by_role("radio", name="45 min")).to_be_checked()
    expect(phone_page.locator("[name=deviation_reason]")).to_have_value("Stairs, lift out of order")
    # and the draft is still on the phone, and nothing reached the server
    assert phone_page.evaluate(DRAFT_KEYS) == [f"bz-draft:visit-log:{url}"]
    assert not VisitLogKey.objects.exists()
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.PLANNED
