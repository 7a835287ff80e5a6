"""generate_scale gives clients medication and signs the doses its done visits cover."""

import datetime as dt
import io

import pytest
from django.db.models import Count, F

from bench.scale import generate
from clients.models import Client, ClientStatus
from scheduling.medication.models import DoseSignoff, Medication
from scheduling.medication.schedule import visit_window

pytestmark = pytest.mark.django_db


def test_clients_get_a_few_medicines_and_their_visits_sign_offs() -> None:
    counts = generate(teams=1, seed=7, today=dt.date(2026, 11, 25), stdout=io.StringIO())
    assert counts["medication.Medication"] > 0
    per_client = Client.objects.filter(status=ClientStatus.ACTIVE).annotate(n=Count("medications"))
    assert all(1 <= c.n <= 3 for c in per_client)
    signoffs = DoseSignoff.objects.select_related("visit")
    assert signoffs.count() > 100
    # every sign-off is of a dose its visit covers, of the visit's client
    for s in signoffs.select_related("medication")[:300]:
        start, end = visit_window(s.visit.starts_at, s.visit.ends_at)
        assert start <= s.due_at < end
        assert s.medication.client_id == s.visit.client_id
    # a high-risk dose given always has a second nurse, never the signer herself
    risky = signoffs.filter(high_risk=True, outcome="given")
    assert risky.exists()
    assert not risky.filter(second_signer__isnull=True).exists()
    assert not risky.filter(second_signer=F("signed_by")).exists()
    assert Medication.objects.filter(high_risk=True).exists()
