"""Reports in the GDPR export, and gone after erasure."""

import datetime as dt

import pytest

from clients.models import Client, ClientStatus
from scheduling.carenotes.models import CareReport
from scheduling.privacy.reads import client_data
from scheduling.privacy.services import client_erase
from tests.carenotes.conftest import report

pytestmark = pytest.mark.django_db


def test_export_holds_every_report_with_its_corrections(world, old_report) -> None:
    newer = report(world, replaces=old_report, text="Corrected text.")
    data = client_data(client=world.client_record)
    texts = [r["text"] for r in data["care_reports"]]
    assert texts == [old_report.text, newer.text]
    assert data["care_reports"][1]["replaces_id"] == old_report.pk


def test_erasure_removes_the_reports(world, old_report) -> None:
    Client.objects.filter(pk=world.client_record.pk).update(
        status=ClientStatus.DISCHARGED, discharged_on=dt.date(2026, 2, 1)
    )
    assert client_erase(client_id=world.client_record.pk, today=dt.date(2050, 1, 1))
    assert not CareReport.objects.filter(client=world.client_record).exists()
