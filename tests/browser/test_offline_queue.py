"""A morning round without a network (issue 18): My day from the phone's cache, three visits
logged offline, and on reconnect exactly three logs on the server with the offline times."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from scheduling.models import Visit, VisitLogKey, VisitStatus
from tests.browser.conftest import log_in, page_check
from tests.factories import ClientFactory, MembershipFactory, VisitFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_three_visits_logged_offline_reach_the_server_exactly_once(phone_page: Page) -> None:
    # given a nurse with three visits today who opened My day with the network on
    membership = MembershipFactory(nurse__first_name="Noor")
    nurse, team = membership.nurse, membership.team
    today = timezone.localdate()
    visits = [
        VisitFactory(client=ClientFactory(team=team), nurse=nurse, day=today, at=dt.time(h))
        for h in (8, 9, 10)
    ]
    log_in(phone_page, nurse.username)
    phone_page.evaluate("async () => navigator.serviceWorker.ready")
    phone_page.reload()
    phone_page.wait_for_function(
        "async () => (await caches.keys()).some(name => name.startsWith('bz-day-'))"
    )

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
