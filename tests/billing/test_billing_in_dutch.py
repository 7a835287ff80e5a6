"""Issue 15: the back office's billing texts and the invoice in the reader's language."""

import datetime as dt
import io
from decimal import Decimal

import pypdf
import pytest
from django.test import override_settings
from django.utils import translation

from scheduling.billing import services
from scheduling.billing.files import invoice_pdf_bytes, invoice_pdf_html
from scheduling.billing.selectors import billing_run_preflight
from tests.billing.conftest import MARCH
from tests.billing.test_files import hand_computed_invoice


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


@override_settings(LANGUAGE_CODE="nl")
def test_invoice_pdf_is_in_the_organisations_language_whoever_renders_it() -> None:
    # given: the organisation works in Dutch; the worker (or a reader) is in English
    with translation.override("en"):
        # when
        text = _pdf_text(invoice_pdf_bytes(hand_computed_invoice()))
    # then: Dutch words, Dutch money and dates, the credit line named in Dutch
    assert "Factuur 202603-3311" in text
    assert "Overzicht per prestatie" in text
    assert "Totaal te betalen" in text
    assert "Periode maart 2026" in text
    assert "Factuurdatum 1 apr. 2026" in text
    assert "Totaal te betalen 47 €\xa0277,82" in text  # buurtzorg.money in Dutch
    assert "Credit €\xa0-78,35" in text  # the credit lines' total
    assert "Regels BSN       Polisnr." in text  # the appendix header
    assert "2026-02 V1 credit" in text
    assert "78,35     -78,35" in text
    assert "1 / 2" in text  # the page counter has no English words
    assert "Total due" not in text
    assert "Summary per service" not in text
    assert "page" not in text


@override_settings(LANGUAGE_CODE="en")
def test_invoice_pdf_in_english_for_an_english_organisation() -> None:
    with translation.override("nl"):
        html = invoice_pdf_html(hand_computed_invoice())
    assert "Total due" in html
    assert "Totaal te betalen" not in html
    assert "V1 credit" in html
    assert "€277.82" in html


def test_month_label_uses_the_translated_month_name() -> None:
    with translation.override("nl"):
        assert services.month_label(dt.date(2026, 3, 1)) == "maart 2026"
    with translation.override("en"):
        assert services.month_label(dt.date(2026, 3, 1)) == "March 2026"


def test_service_message_constants_are_translated() -> None:
    with translation.override("nl"):
        text = services.RUN_IS_WORKING.format()
    assert "wacht" in text
    with pytest.raises(KeyError, match="status"):
        services.RUN_NOT_DRAFT.format()


@pytest.mark.django_db
def test_preflight_problems_come_out_in_dutch_under_nl(
    billing_world, django_capture_on_commit_callbacks
) -> None:
    # given: Cees' indication ended in March; Anna got more hours than her half hour a week
    billing_world.cees.indications.update(valid_until=dt.date(2026, 3, 15))
    billing_world.anna.indications.update(hours_per_week=Decimal("0.50"))
    with django_capture_on_commit_callbacks(execute=True):
        run = services.billing_run_request(period=MARCH, insurer=None, actor=None).run
    run.refresh_from_db()
    # when: the back office reads the check in Dutch
    with translation.override("nl"):
        by_code = {p.code: p for p in billing_run_preflight(run=run)}
    # then: Dutch sentences, Dutch dates and decimal commas, Dutch link labels
    assert by_code["expired_indication"].message == (
        "De indicatie van Cees Visser is geëindigd op 15-03-2026; vraag een nieuwe indicatie "
        "aan voordat je meer zorg declareert."
    )
    assert by_code["over_indication"].message == (
        "Anna Jansen kreeg deze maand 3,7 uur zorg, meer dan de indicatie toestaat "
        "(0,50 uur per week)."
    )
    assert by_code["expired_indication"].link_label == "Cliënt openen"


@pytest.mark.django_db
@override_settings(LANGUAGE_CODE="nl")
def test_the_kept_preflight_is_in_the_organisations_language(
    billing_world, django_capture_on_commit_callbacks
) -> None:
    # given: Cees' indication ended in March; the run is asked for by an English reader
    billing_world.cees.indications.update(valid_until=dt.date(2026, 3, 15))
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        run = services.billing_run_request(period=MARCH, insurer=None, actor=None).run
    # when the worker kept its check on the run
    run.refresh_from_db()
    kept = {p["code"]: p["message"] for p in run.preflight}
    # then it reads in Dutch, the organisation's language
    assert kept["expired_indication"].startswith("De indicatie van Cees Visser is geëindigd op")
