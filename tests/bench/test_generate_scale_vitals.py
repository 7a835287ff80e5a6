"""generate_scale's wounds and measurements (2 teams)."""

import datetime as dt
import io

import pytest
from django.db.models import Count

from bench.scale import generate
from clients.measurements.models import Measurement, NormalRange
from clients.wounds.models import Wound, WoundAssessment, WoundPhoto

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 25)


def test_scale_gives_wounds_with_assessments_and_measurements_for_a_share_of_visits() -> None:
    # when
    counts = generate(teams=2, seed=7, today=TODAY, stdout=io.StringIO())
    # then
    wounds = Wound.objects.annotate(n=Count("assessments"))
    assert wounds.exists()
    assert all(w.n == 4 and w.is_open for w in wounds)
    assert counts["wounds.WoundAssessment"] == WoundAssessment.objects.count()
    assert not WoundPhoto.objects.exists()
    done = counts["scheduling.Visit"]
    measured = Measurement.objects.count()
    assert 0 < measured < done
    assert Measurement.objects.filter(kind="bp", value2__isnull=False).exists()
    # flags follow the client's normal range, as the service sets them
    assert NormalRange.objects.exists()
    flagged = Measurement.objects.filter(out_of_range=True)
    assert flagged.exists()
    assert all(m.value > 90 for m in flagged)
    # (the database's range checks held for every row: the inserts would have failed)
    assert all(a.length_mm > 0 for a in WoundAssessment.objects.all())
