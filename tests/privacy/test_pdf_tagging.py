"""Every PDF the app makes is tagged for accessibility (PDF/UA-1) with title, language and
author: the invoice (its credit lines included), the credit note, the outcome report, the
GDPR export and the access-log report. Checked in the real file with pypdf, not in the HTML.

The author is the organisation's own name (teams.Organisation): the one on the invoice for the
billing documents, the one on the organisation's page for the others."""

import dataclasses
import datetime as dt
import io

import pypdf
import pytest
from django.test import override_settings
from django.urls import reverse

from omaha.reports import services as report_services
from omaha.reports.models import ReportScope, ReportStatus
from scheduling.billing.declaration import LineKind
from scheduling.billing.files import invoice_pdf_bytes
from tests.billing.test_files import hand_computed_invoice
from tests.factories import ClientFactory, OrganisationFactory

ORGANISATION = "Wijkzorg West"  # OrganisationFactory's name


def assert_tagged(pdf: bytes, *, title: str, lang: str, author: str = ORGANISATION) -> None:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root, "no structure tree: the PDF is not tagged"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == lang
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata is not None
    assert reader.metadata.title == title
    assert reader.metadata.author == author


def test_invoice_pdf_is_tagged() -> None:
    invoice = hand_computed_invoice()
    assert invoice.organisation_name == "Buurtzorg test"
    assert_tagged(
        invoice_pdf_bytes(invoice),
        title=f"Invoice {invoice.invoice_number}",
        lang="en",
        author="Buurtzorg test",
    )


@override_settings(LANGUAGE_CODE="nl")
def test_credit_note_pdf_is_tagged() -> None:
    # a negative balance: the PDF is a credit note, its own document with its own title
    invoice = hand_computed_invoice()
    credits = [ln for ln in invoice.lines if ln.kind == LineKind.CREDIT]
    note = dataclasses.replace(invoice, lines=credits, credit_note_number="CR-2026-0001")
    assert note.is_credit_note
    assert_tagged(
        invoice_pdf_bytes(note), title="Creditnota CR-2026-0001", lang="nl", author="Buurtzorg test"
    )


@pytest.mark.django_db
def test_outcome_report_pdf_is_tagged(access_world, django_capture_on_commit_callbacks) -> None:
    OrganisationFactory()
    nurse = access_world.nurse_a
    nurse.language = "nl"
    nurse.save(update_fields=["language"])
    ClientFactory(team=access_world.team_a)
    with django_capture_on_commit_callbacks(execute=True):
        report = report_services.outcome_report_request(
            actor=nurse,
            scope=ReportScope.TEAM,
            team=access_world.team_a,
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 6, 30),
        )
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    pdf = report.pdf_file.read()
    title = pypdf.PdfReader(io.BytesIO(pdf)).metadata.title
    assert title.startswith("Uitkomstrapportage")
    assert_tagged(pdf, title=title, lang="nl")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "title"),
    [("nl", "Alles wat over een cliënt is opgeslagen"), ("en", "Everything stored about a client")],
)
def test_gdpr_export_pdf_is_tagged(client, access_world, language, title) -> None:
    OrganisationFactory()
    record = ClientFactory(team=access_world.team_a)
    access_world.nurse_a.language = language
    access_world.nurse_a.save(update_fields=["language"])
    client.force_login(access_world.nurse_a)
    response = client.get(reverse("privacy:export-pdf", args=[record.public_id]))
    assert response.status_code == 200
    assert_tagged(response.content, title=title, lang=language)


@pytest.mark.django_db
def test_access_log_pdf_is_tagged(client, access_world) -> None:
    OrganisationFactory()
    record = ClientFactory(team=access_world.team_a)
    access_world.admin.language = "en"
    access_world.admin.save(update_fields=["language"])
    client.force_login(access_world.admin)
    response = client.get(reverse("audit:client-report-pdf", args=[record.public_id]))
    assert response.status_code == 200
    assert_tagged(response.content, title="Access to a client record", lang="en")


@pytest.mark.django_db
def test_the_pdf_author_follows_the_organisation_page_not_a_setting(
    client, access_world, settings
) -> None:
    # given: a name in the old setting, and the organisation renamed on its page
    settings.ORGANISATION_NAME = "Name From The Environment"
    organisation = OrganisationFactory()
    organisation.name = "Wijkzorg Oost"
    organisation.save()
    record = ClientFactory(team=access_world.team_a)
    client.force_login(access_world.admin)
    # when
    response = client.get(reverse("audit:client-report-pdf", args=[record.public_id]))
    # then: the PDF's author is the organisation's own name
    assert pypdf.PdfReader(io.BytesIO(response.content)).metadata.author == "Wijkzorg Oost"
    # and before the organisation has a name, the default
    organisation.name = ""
    organisation.save()
    response = client.get(reverse("audit:client-report-pdf", args=[record.public_id]))
    assert pypdf.PdfReader(io.BytesIO(response.content)).metadata.author == "Buurtzorg"
