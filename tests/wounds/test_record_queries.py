"""The record page's wounds and measurements cost one query together, whatever their size."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clients.measurements.models import Measurement
from clients.wounds.record import client_record_part
from tests.factories import ClientFactory
from tests.factories.wounds import WoundAssessmentFactory, WoundFactory

pytestmark = pytest.mark.django_db


def _page_queries(client, url: str) -> int:  # noqa: ANN001
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_record_page_costs_the_same_with_many_wounds_and_measurements(
    client, access_world
) -> None:
    # given two clients of one team: one without, one with a lot
    nurse = access_world.nurse_a
    empty = ClientFactory(team=access_world.team_a)
    full = ClientFactory(team=access_world.team_a)
    now = timezone.now()
    for w in range(3):
        wound = WoundFactory(client=full, created_by=nurse, body_site=f"site {w}")
        for days in range(5):
            WoundAssessmentFactory(wound=wound, assessed_at=now - dt.timedelta(days=days + 1))
    Measurement.objects.bulk_create(
        Measurement(
            client=full,
            kind=kind,
            value=Decimal(value),
            value2=Decimal(70) if kind == "bp" else None,
            measured_at=now - dt.timedelta(hours=i),
            measured_by=nurse,
        )
        for i, (kind, value) in enumerate([("pulse", 72), ("bp", 120), ("spo2", 97)] * 10)
    )
    client.force_login(nurse)
    # when
    baseline = _page_queries(client, empty.get_absolute_url())
    loaded = _page_queries(client, full.get_absolute_url())
    # then
    assert loaded == baseline
    assert loaded <= 10
    with CaptureQueriesContext(connection) as ctx:
        part = client_record_part(client=full)
    assert len(ctx.captured_queries) == 1
    assert len(part["wounds"]) == 3
    assert part["wounds"][0].chart.summary.endswith("(5 assessments)")
    assert {c.kind for c in part["vitals"].charts} == {"pulse", "bp", "spo2"}
