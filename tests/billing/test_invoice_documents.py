"""Documents an accountant accepts (issue 19, item 6): the invoice names the organisation
(name, address, KvK, AGB, IBAN), its due date and the VAT exemption; a negative balance is a
credit note with its own number series, never a negative invoice. Read from the real PDF."""

import dataclasses
import datetime as dt
import io

import pypdf
import pytest
from django.test import override_settings
from django.utils import formats, translation

from scheduling.billing import services
from scheduling.billing.declaration import LineKind, Sender
from scheduling.billing.files import invoice_pdf_bytes
from scheduling.billing.models import BillingRun, CreditNote, FileKind
from tests.billing.conftest import APRIL, MARCH
from tests.billing.test_files import hand_computed_invoice
from tests.factories import billed_visit

SENDER = Sender(
    address="Zorgstraat 12",
    postcode="1234 AB",
    city="Almelo",
    kvk_number="87654321",
    iban="NL91 ABNA 0417 1643 00",
    vat_note="Vrijgesteld van btw op grond van artikel 11, lid 1, onderdeel g, Wet OB 1968.",
    payment_term_days=30,
)


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _credit_only_invoice(number: str = "CR-2026-0001"):  # noqa: ANN202
    invoice = hand_computed_invoice()
    credits = [ln for ln in invoice.lines if ln.kind == LineKind.CREDIT]
    return dataclasses.replace(invoice, lines=credits, sender=SENDER, credit_note_number=number)


@override_settings(LANGUAGE_CODE="nl")
def test_invoice_names_the_organisation_due_date_and_vat_exemption() -> None:
    # given an invoice of 1 April 2026 with a 30-day term
    invoice = dataclasses.replace(hand_computed_invoice(), sender=SENDER)
    # when it is rendered (by a worker in English: the organisation's language wins)
    with translation.override("en"):
        text = _pdf_text(invoice_pdf_bytes(invoice))
    # then
    with translation.override("nl"):
        due = formats.date_format(dt.date(2026, 5, 1), "DATE_FORMAT")
    assert "Factuur 202603-3311" in text
    assert "Zorgstraat 12" in text
    assert "1234 AB Almelo" in text
    assert "KvK 87654321 · AGB 12345678" in text
    assert "IBAN NL91 ABNA 0417 1643 00" in text
    assert f"Vervaldatum {due}" in text
    assert "Vrijgesteld van btw op grond van artikel 11" in text
    assert "€\xa0277,82" in text  # Dutch amounts
    assert f"uiterlijk {due}" in text
    assert "Creditnota" not in text


@override_settings(LANGUAGE_CODE="en")
def test_invoice_in_english_for_an_english_reader() -> None:
    invoice = dataclasses.replace(hand_computed_invoice(), sender=SENDER)
    text = _pdf_text(invoice_pdf_bytes(invoice))
    assert "Invoice 202603-3311" in text
    assert "Due date May 1, 2026" in text or "Due date 1 May 2026" in text
    assert "Vervaldatum" not in text


@override_settings(LANGUAGE_CODE="nl")
def test_a_negative_balance_is_a_credit_note_not_a_negative_invoice() -> None:
    # given an insurer's balance of -78.35
    invoice = _credit_only_invoice()
    assert invoice.is_credit_note
    # when
    text = _pdf_text(invoice_pdf_bytes(invoice))
    # then: a credit note with its own number, citing the declaration, no due date
    assert "Creditnota CR-2026-0001" in text
    assert "Declaratie 202603-3311" in text
    assert "Totaal gecrediteerd" in text
    assert "€\xa078,35" in text  # what we credit, as a positive amount in the sentence
    assert "Factuur " not in text
    assert "Vervaldatum" not in text
    assert "IBAN NL91 ABNA 0417 1643 00" in text


@pytest.mark.django_db
def test_credit_note_numbers_are_a_series_of_their_own_kept_by_a_rebuild(billing_world) -> None:
    # given two runs whose balance for an insurer is negative
    first = BillingRun.objects.create(period=dt.date(2026, 1, 1), insurer=billing_world.zilveren)
    second = BillingRun.objects.create(period=dt.date(2026, 2, 1), insurer=billing_world.zilveren)
    # when they are numbered (the first twice, as a rebuilt draft does)
    numbers = [
        services.credit_note_number_assign(run=first, insurer=billing_world.zilveren, year=2026),
        services.credit_note_number_assign(run=second, insurer=billing_world.zilveren, year=2026),
        services.credit_note_number_assign(run=first, insurer=billing_world.zilveren, year=2026),
        services.credit_note_number_assign(run=second, insurer=billing_world.other, year=2027),
    ]
    # then
    assert numbers == ["CR-2026-0001", "CR-2026-0002", "CR-2026-0001", "CR-2027-0001"]


@pytest.mark.django_db
@override_settings(LANGUAGE_CODE="nl")
def test_a_run_whose_balance_is_negative_makes_a_credit_note(
    billing_world, access_world, django_capture_on_commit_callbacks
) -> None:
    def run_now(period: dt.date) -> BillingRun:
        with django_capture_on_commit_callbacks(execute=True):
            run = services.billing_run_request(period=period, insurer=None, actor=None).run
        run.refresh_from_db()
        return run

    # given: March finalised, then Anna's first visit corrected from 110 to 5 minutes
    w = billing_world
    services.billing_run_finalise(run=run_now(MARCH), actor=access_world.back_office)
    billed_visit(w.anna, dt.date(2026, 3, 3), {w.nursing: 5}, corrects=w.anna_visit_1)
    # when April is run: -258.23 credited, 136.41 billed again, 26.12 for April = -95.70
    april = run_now(APRIL)
    # then the insurer gets a credit note, the other insurer nothing negative
    pdf = april.files.get(insurer=w.zilveren, kind=FileKind.PDF)
    assert pdf.invoice_number == "CR-2026-0001"
    assert pdf.filename == "CR-2026-0001-3311.pdf"
    text = _pdf_text(pdf.file.open("rb").read())
    assert "Creditnota CR-2026-0001" in text
    assert "€\xa095,70" in text
    assert CreditNote.objects.get().run == april
    # and a rebuild of the draft keeps its number
    april = run_now(APRIL)
    assert april.files.get(insurer=w.zilveren, kind=FileKind.PDF).invoice_number == ("CR-2026-0001")
    assert CreditNote.objects.count() == 1


@pytest.mark.django_db
def test_a_runs_invoice_pdf_names_the_organisation_as_its_author(
    billing_world, django_capture_on_commit_callbacks
) -> None:
    # given: the organisation's details as kept on its page (OrganisationFactory)
    # when: March is billed
    with django_capture_on_commit_callbacks(execute=True):
        run = services.billing_run_request(period=MARCH, insurer=None, actor=None).run
    run.refresh_from_db()
    # then: each stored invoice PDF has the organisation's own name as its metadata author
    pdfs = run.files.filter(kind=FileKind.PDF)
    assert pdfs.count() == 2
    for row in pdfs:
        with row.file.open("rb") as handle:
            assert pypdf.PdfReader(io.BytesIO(handle.read())).metadata.author == "Wijkzorg West"
