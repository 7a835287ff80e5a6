"""Per-client outcome reports and their files are reads of client data: one access row each.

An aggregate report names no client and writes no row; a report the user may not see is 404
and writes none.
"""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.http import Http404
from django.urls import reverse

from buurtzorg.audit.models import AccessEvent, Action
from omaha.reports import reads
from omaha.reports.models import OutcomeReport, ReportScope, ReportStatus

pytestmark = pytest.mark.django_db


def _report(world, *, per_client: bool) -> OutcomeReport:
    report = OutcomeReport.objects.create(
        scope=ReportScope.TEAM,
        team=world.team_a,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 6, 30),
        per_client=per_client,
        requested_by=world.nurse_a,
        status=ReportStatus.DONE,
        result={"per_client": [{"client": "Anna Zwart"}]} if per_client else {},
    )
    report.csv_file.save("r.csv", ContentFile(b"client\nAnna Zwart\n"))
    return report


def test_per_client_report_page_is_one_list_row(access_world) -> None:
    report = _report(access_world, per_client=True)
    assert reads.report_open(actor=access_world.nurse_a, public_id=report.public_id) == report
    row = AccessEvent.objects.get()
    assert (row.user_id, row.action, row.part, row.detail) == (
        access_world.nurse_a.pk,
        Action.LIST,
        "outcome-report",
        str(report),
    )


def test_per_client_file_is_one_export_row(access_world) -> None:
    report = _report(access_world, per_client=True)
    download = reads.report_file_open(
        actor=access_world.nurse_a, public_id=report.public_id, kind="csv"
    )
    assert download.filename == "outcomes-20260101-20260630.csv"
    assert download.file.read() == b"client\nAnna Zwart\n"
    row = AccessEvent.objects.get()
    assert (row.action, row.part, row.detail) == (Action.EXPORT, "outcome-report", "csv")


def test_aggregate_report_names_nobody_and_writes_no_row(access_world) -> None:
    report = _report(access_world, per_client=False)
    reads.report_open(actor=access_world.back_office, public_id=report.public_id)
    reads.report_file_open(actor=access_world.back_office, public_id=report.public_id, kind="csv")
    assert not AccessEvent.objects.exists()


@pytest.mark.parametrize("who", ["nurse_b", "coach_a", "back_office", "admin"])
def test_per_client_report_of_another_is_404_and_writes_no_row(access_world, who) -> None:
    report = _report(access_world, per_client=True)
    actor = getattr(access_world, who)
    with pytest.raises(Http404, match="No OutcomeReport matches the given query"):
        reads.report_open(actor=actor, public_id=report.public_id)
    with pytest.raises(Http404, match="No OutcomeReport matches the given query"):
        reads.report_file_open(actor=actor, public_id=report.public_id, kind="csv")
    assert not AccessEvent.objects.exists()


def test_a_file_not_made_is_404_and_writes_no_row(access_world) -> None:
    report = _report(access_world, per_client=True)
    for kind in ("pdf", "xlsx"):
        with pytest.raises(Http404, match="^$"):  # (no message: same as any missing file)
            reads.report_file_open(
                actor=access_world.nurse_a, public_id=report.public_id, kind=kind
            )
    assert not AccessEvent.objects.exists()


def test_pages_write_one_row_per_request(client, access_world) -> None:
    report = _report(access_world, per_client=True)
    client.force_login(access_world.nurse_a)
    download = reverse("reports:report-download", args=[report.public_id, "csv"])
    for url, shape in [
        (report.get_absolute_url(), (Action.LIST, "outcome-report")),
        (download, (Action.EXPORT, "outcome-report")),
    ]:
        before = AccessEvent.objects.count()
        assert client.get(url).status_code == 200, url
        rows = AccessEvent.objects.order_by("pk")[before:]
        assert [(r.action, r.part) for r in rows] == [shape], url
