"""Team planning in real Chromium: drag a visit to another nurse; a refusal is shown, not lost."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from scheduling.models import Visit
from teams.models import User
from tests.browser.conftest import PHONE, log_in, page_check
from tests.factories import ClientFactory, VisitFactory, nursing_team

pytestmark = pytest.mark.django_db(transaction=True)


def test_nurse_drags_a_visit_to_a_colleague_and_sees_a_double_booking_refused(
    page: Page,
) -> None:
    # given a team of three; Anna has a visit at 09:00 today, Carla is busy at 09:00
    team, (anna, bea, carla) = nursing_team(3, name="Team Drag")
    for nurse, name in zip((anna, bea, carla), ("Anna", "Bea", "Carla"), strict=True):
        User.objects.filter(pk=nurse.pk).update(first_name=name)
    today = timezone.localdate()
    visit = VisitFactory(
        client=ClientFactory(team=team, last_name="Jansen"), nurse=anna, day=today, at=dt.time(9)
    )
    VisitFactory(
        client=ClientFactory(team=team, last_name="Bakker"), nurse=carla, day=today, at=dt.time(9)
    )
    anna.refresh_from_db()
    bea.refresh_from_db()
    carla.refresh_from_db()

    # when Anna opens the planning week
    log_in(page, anna.username)
    page.goto(reverse("scheduling:planning"))
    pill = page.locator(f'a.drag-visit[data-assign-url*="{visit.public_id}"]')
    expect(pill).to_have_text("09:00 Jansen")
    page_check(page, "planning-week-drag")

    # and drags her visit onto Bea's cell of the same day
    bea_cell = page.locator(f'td.drop-cell[data-nurse="{bea.pk}"][data-day="{today.isoformat()}"]')
    pill.drag_to(bea_cell)

    # then the page says so, the visit moved in the grid, and the database agrees
    status = page.locator("#planning-status")
    expect(status).to_have_text(f"Visit to {visit.client} now with {bea}.")
    expect(status).to_have_class("msg msg-success")
    expect(bea_cell.locator("a.drag-visit")).to_have_text("09:00 Jansen")
    assert Visit.objects.get(pk=visit.pk).nurse_id == bea.pk

    # when she drags it on to Carla, who is busy at 09:00
    carla_cell = page.locator(
        f'td.drop-cell[data-nurse="{carla.pk}"][data-day="{today.isoformat()}"]'
    )
    bea_cell.locator("a.drag-visit").drag_to(carla_cell)

    # then the service's refusal is shown as an alert, and nothing moved
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(f"{carla} already has a visit then")
    expect(alert).to_contain_text("Bakker")
    expect(bea_cell.locator("a.drag-visit")).to_have_text("09:00 Jansen")
    assert Visit.objects.get(pk=visit.pk).nurse_id == bea.pk
    page_check(page, "planning-week-drag-refused", keyboard=False)

    # and at 390 px the week stacks without sideways scrolling; the form fallback stays
    page.set_viewport_size(PHONE)
    page.reload()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"planning scrolls sideways at 390 px ({width} px wide)"
    assert not page.js_errors  # type: ignore[attr-defined]
