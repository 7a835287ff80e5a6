"""Team planning in real Chromium for a nurse who works in Dutch: the server's answer and the
script's own texts (Django's JavaScript catalogue) are both Dutch."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from teams.models import User
from tests.browser.conftest import log_in
from tests.factories import ClientFactory, VisitFactory, nursing_team

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_dutch_nurse_reads_the_planning_scripts_messages_in_dutch(page: Page) -> None:
    # given a team of two whose nurse Anna chose Dutch; she has a visit at 09:00 today
    team, (anna, bea) = nursing_team(2, name="Team Taal")
    User.objects.filter(pk=anna.pk).update(first_name="Anna", language="nl")
    User.objects.filter(pk=bea.pk).update(first_name="Bea")
    today = timezone.localdate()
    visit = VisitFactory(
        client=ClientFactory(team=team, last_name="Jansen"), nurse=anna, day=today, at=dt.time(9)
    )
    bea.refresh_from_db()

    # when she opens the planning week and drags the visit to Bea
    log_in(page, anna.username)
    page.goto(reverse("scheduling:planning"))
    pill = page.locator(f'a.drag-visit[data-assign-url*="{visit.public_id}"]')
    bea_cell = page.locator(f'td.drop-cell[data-nurse="{bea.pk}"][data-day="{today.isoformat()}"]')
    pill.drag_to(bea_cell)

    # then the server's confirmation is Dutch
    status = page.locator("#planning-status")
    expect(status).to_have_text(f"Bezoek aan {visit.client} nu bij {bea}.")

    # when the connection drops and she drags it back
    anna_cell = page.locator(
        f'td.drop-cell[data-nurse="{anna.pk}"][data-day="{today.isoformat()}"]'
    )
    page.context.set_offline(True)
    bea_cell.locator("a.drag-visit").drag_to(anna_cell)

    # then the script's own message, from the JavaScript catalogue, is Dutch too
    expect(status).to_have_text(
        "Geen verbinding: het bezoek is niet verplaatst. Probeer het opnieuw."
    )
    expect(status).to_have_class("msg msg-error")
    page.context.set_offline(False)
    assert not page.js_errors  # type: ignore[attr-defined]
