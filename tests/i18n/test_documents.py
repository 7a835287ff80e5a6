"""Documents in the reader's language: outcome reports (built by a task), the GDPR export and
the access-log PDF, and the CSV files that come with them."""

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse

from buurtzorg.audit import pdf as audit_pdf
from omaha.reports import services
from omaha.reports.models import ReportScope, ReportStatus
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


class _CapturedHTML:
    """Stands in for WeasyPrint's HTML in these tests: keeps the HTML, returns a stub PDF."""

    seen: list[str] = []  # noqa: RUF012 - shared on purpose, reset by the fixture

    def __init__(self, *, string: str, **_: Any) -> None:
        self.seen.append(string)

    def write_pdf(self, **_: Any) -> bytes:
        return b"%PDF-stub"


@pytest.fixture
def pdf_html(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    _CapturedHTML.seen = []
    monkeypatch.setattr(audit_pdf, "HTML", _CapturedHTML)
    return _CapturedHTML.seen


@pytest.mark.parametrize(
    ("language", "title", "delimiter"),
    [("nl", "Uitkomstrapportage", ";"), ("en", "Outcome report", ",")],
)
def test_outcome_report_task_writes_the_requesters_language(
    access_world, django_capture_on_commit_callbacks, language, title, delimiter
) -> None:
    # Given a nurse who reads in `language`, asking while the active language is the other one
    nurse = access_world.nurse_a
    nurse.language = language
    nurse.save(update_fields=["language"])
    ClientFactory(team=access_world.team_a)
    # When the report is built by the (eager) task after commit
    with django_capture_on_commit_callbacks(execute=True):
        report = services.outcome_report_request(
            actor=nurse,
            scope=ReportScope.TEAM,
            team=access_world.team_a,
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 6, 30),
        )
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    # Then the CSV opens in columns in her spreadsheet: BOM, her delimiter
    raw = report.csv_file.read()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=delimiter))
    assert rows[0] == (
        ["onderdeel", "groep", "onderwerp", "maat", "waarde"]
        if language == "nl"
        else ["section", "group", "item", "measure", "value"]
    )
    assert report.pdf_file.read(4) == b"%PDF"
    # And the PDF's HTML, rendered the same way, is in her language
    from omaha.reports.files import report_pdf_html

    html = report_pdf_html(report, report.result, language)
    assert f'<html lang="{language}">' in html
    assert title in html
    assert ("1 jan. 2026" if language == "nl" else "1 Jan 2026") in html


def _read_in(user: Any, language: str) -> None:  # noqa: ANN401 - a teams.User
    user.language = language
    user.save(update_fields=["language"])


@pytest.mark.parametrize(
    ("language", "heading"),
    [("nl", "Alles wat over een cliënt is opgeslagen"), ("en", "Everything stored about a client")],
)
def test_gdpr_export_pdf_is_in_the_requesters_language(
    client, access_world, pdf_html, language, heading
) -> None:
    record = ClientFactory(team=access_world.team_a)
    _read_in(access_world.nurse_a, language)
    client.force_login(access_world.nurse_a)
    other = "en" if language == "nl" else "nl"
    response = client.get(
        reverse("privacy:export-pdf", args=[record.public_id]), HTTP_ACCEPT_LANGUAGE=other
    )
    assert response.status_code == 200
    assert f'<html lang="{language}">' in pdf_html[0]
    assert heading in pdf_html[0]


@pytest.mark.parametrize(
    ("language", "heading"),
    [("nl", "Toegang tot een cliëntdossier"), ("en", "Access to a client record")],
)
def test_access_log_pdf_and_csv_are_in_the_requesters_language(
    client, access_world, pdf_html, language, heading
) -> None:
    record = ClientFactory(team=access_world.team_a)
    _read_in(access_world.admin, language)
    client.force_login(access_world.admin)
    pdf = client.get(reverse("audit:client-report-pdf", args=[record.public_id]))
    assert pdf.status_code == 200
    assert heading in pdf_html[0]
    csv_response = client.get(reverse("audit:client-report-csv", args=[record.public_id]))
    text = b"".join(csv_response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    header = text.removeprefix("\ufeff").splitlines()[0]
    assert header.count(";" if language == "nl" else ",") == 6
