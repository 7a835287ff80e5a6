"""A billed visit is corrected from the page and the API (issue 19, item 4): a nurse of the
team or back office records the minutes and a reason; the next run credits the old line and
bills the new one."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from buurtzorg.audit.models import AccessEvent
from scheduling.billing import services
from scheduling.billing.models import LineKind
from scheduling.models import Visit
from tests.billing.conftest import APRIL, MARCH
from tests.factories import billed_visit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> object:
    with translation.override("en"):
        yield


@pytest.fixture
def billed(access_world) -> Visit:
    """A billed visit of team A's client, logged by nurse A (30 min nursing)."""
    from tests.factories import CareServiceFactory, ClientFactory

    service = CareServiceFactory(code="EXC1", name="Nursing (corr.)")
    client_record = ClientFactory(team=access_world.team_a, first_name="Dirk")
    visit = billed_visit(client_record, dt.date(2026, 5, 12), {service: 30})
    Visit.objects.filter(pk=visit.pk).update(
        nurse=access_world.nurse_a, service=service, billed_at=timezone.now()
    )
    visit.refresh_from_db()
    return visit


def _url(visit: Visit) -> str:
    return reverse("scheduling:visit-correct", args=[visit.public_id])


def test_a_nurse_of_the_team_corrects_from_the_page(client, access_world, billed) -> None:
    # given a colleague of the nurse who logged it (a nurse of the same team)
    colleague = access_world.nurse_a
    client.force_login(colleague)
    assert client.get(_url(billed)).status_code == 200
    # when she records 20 minutes with a reason
    response = client.post(_url(billed), {"minutes": "20", "deviation_reason": "counted twice"})
    # then a correction row carries the new minutes and the reason; the billed row is unchanged
    correction = Visit.objects.get(corrects=billed)
    assert response.status_code == 302
    assert response["Location"] == _url(correction)
    assert (correction.logged_minutes, correction.deviation_reason) == (20, "counted twice")
    assert correction.services.get().minutes == 20
    billed.refresh_from_db()
    assert billed.logged_minutes == 30
    assert Visit.objects.effective().filter(client=billed.client).get() == correction


def test_a_correction_without_a_reason_is_refused_at_the_field(client, access_world, billed):
    client.force_login(access_world.nurse_a)
    response = client.post(_url(billed), {"minutes": "20", "deviation_reason": ""})
    assert response.status_code == 200
    assert "deviation_reason" in response.context["form"].errors
    assert 'value="20"' in response.content.decode()  # what was typed is kept
    assert not Visit.objects.filter(corrects=billed).exists()


@pytest.mark.parametrize("who", ["nurse_b", "coach_a", "admin"])
def test_others_get_404_on_page_and_api(client, access_world, billed, who: str) -> None:
    client.force_login(getattr(access_world, who))
    assert client.get(_url(billed)).status_code == 404
    assert client.post(_url(billed), {"minutes": "5", "deviation_reason": "x"}).status_code == 404
    api = APIClient()
    api.force_authenticate(getattr(access_world, who))
    answer = api.post(
        reverse("api-visit-correct", args=[billed.public_id]), {"minutes": 5, "reason": "x"}
    )
    assert answer.status_code in (403, 404)
    assert not Visit.objects.filter(corrects=billed).exists()


def test_a_visit_never_billed_has_no_correction_page(client, access_world, billed) -> None:
    logged = billed_visit(billed.client, dt.date(2026, 5, 13), {billed.service: 30})
    Visit.objects.filter(pk=logged.pk).update(nurse=access_world.nurse_a)
    client.force_login(access_world.nurse_a)
    assert client.get(_url(logged)).status_code == 404
    assert client.get(_url(billed)).status_code == 200


def test_the_page_read_writes_one_access_row(client, access_world, billed) -> None:
    client.force_login(access_world.back_office)
    client.get(_url(billed))
    row = AccessEvent.objects.get()
    assert (row.user_id, row.part) == (access_world.back_office.pk, "visit-correction")


def test_api_correction_by_back_office_is_credited_and_billed_again(
    billing_world, access_world, django_capture_on_commit_callbacks
) -> None:
    # given Cees' March visit (44 min nursing, other insurer) billed in a finalised March run
    w = billing_world
    cees_visit = Visit.objects.get(client=w.cees)
    Visit.objects.filter(pk=cees_visit.pk).update(service=w.nursing)

    def run(period):  # noqa: ANN001, ANN202
        with django_capture_on_commit_callbacks(execute=True):
            result = services.billing_run_request(period=period, insurer=None, actor=None)
        result.run.refresh_from_db()
        return result.run

    march = run(MARCH)
    services.billing_run_finalise(run=march, actor=access_world.back_office)
    # when back office corrects it to 20 minutes through the API (an administrative fix)
    api = APIClient()
    api.force_authenticate(access_world.back_office)
    answer = api.post(
        reverse("api-visit-correct", args=[cees_visit.public_id]),
        {"minutes": 20, "reason": "wrong count"},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["corrects"] == str(cees_visit.public_id)
    # then April credits March's line and bills the corrected one
    april = run(APRIL)
    lines = [
        (ln.kind, ln.period, ln.units, ln.amount)
        for ln in april.lines.filter(client=w.cees).order_by("line_number")
    ]
    # 44 min -> 9 units -> 58.76; 20 min -> 4 units -> 20 * 78.35 / 60 = 26.1166 -> 26.12
    assert lines == [
        (LineKind.CREDIT, MARCH, -9, Decimal("-58.76")),
        (LineKind.DEBIT, MARCH, 4, Decimal("26.12")),
    ]


def test_api_refuses_a_correction_without_a_reason(access_world, billed) -> None:
    api = APIClient()
    api.force_authenticate(access_world.nurse_a)
    answer = api.post(
        reverse("api-visit-correct", args=[billed.public_id]),
        {"minutes": 20, "reason": "  "},
        format="json",
    )
    assert answer.status_code == 400
    assert not Visit.objects.filter(corrects=billed).exists()
