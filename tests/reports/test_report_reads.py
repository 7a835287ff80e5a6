"""Per-client outcome reports and their files are reads of client data: one access row each.

An aggregate report names no client and writes no row; a report the user may not see is 404
and writes none.
"""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.paginator import EmptyPage
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


# --- the API: the same read services ------------------------------------------------------------


def test_api_detail_of_a_per_client_report_writes_one_row(client, access_world) -> None:
    # given
    report = _report(access_world, per_client=True)
    client.force_login(access_world.nurse_a)
    # when
    response = client.get(reverse("api-report-detail", args=[report.public_id]))
    # then
    assert response.status_code == 200
    assert response.json()["result"]["per_client"] == [{"client": "Anna Zwart"}]
    row = AccessEvent.objects.get()
    assert (row.user_id, row.action, row.part, row.detail) == (
        access_world.nurse_a.pk,
        Action.LIST,
        "outcome-report",
        str(report),
    )
    assert row.path == reverse("api-report-detail", args=[report.public_id])


@pytest.mark.parametrize("who", ["nurse_b", "coach_a", "back_office"])
def test_api_detail_of_a_per_client_report_of_another_is_404_and_writes_no_row(
    client, access_world, who
) -> None:
    report = _report(access_world, per_client=True)
    client.force_login(getattr(access_world, who))
    response = client.get(reverse("api-report-detail", args=[report.public_id]))
    assert response.status_code == 404
    assert not AccessEvent.objects.exists()


def test_api_detail_of_an_aggregate_report_writes_no_row(client, access_world) -> None:
    report = _report(access_world, per_client=False)
    client.force_login(access_world.coach_a)
    assert client.get(reverse("api-report-detail", args=[report.public_id])).status_code == 200
    assert not AccessEvent.objects.exists()


def test_api_list_showing_per_client_rows_writes_one_row_naming_them(client, access_world) -> None:
    # given two per-client reports and an aggregate one of team A
    first = _report(access_world, per_client=True)
    second = _report(access_world, per_client=True)
    _report(access_world, per_client=False)
    client.force_login(access_world.nurse_a)
    # when
    response = client.get(reverse("api-report-list"))
    # then: the page shows both tables of names, and one row names both reports
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert sum(1 for r in body["results"] if r["result"].get("per_client")) == 2
    row = AccessEvent.objects.get()
    assert (row.user_id, row.action, row.part) == (
        access_world.nurse_a.pk,
        Action.LIST,
        "outcome-report",
    )
    assert row.detail == f"{second}; {first}"  # newest first, like the list


def test_api_list_of_aggregates_only_writes_no_row(client, access_world) -> None:
    # given team A's per-client report, which only team A's nurses see
    _report(access_world, per_client=True)
    _report(access_world, per_client=False)
    for who, count in [("nurse_b", 0), ("coach_a", 1), ("back_office", 1)]:
        client.force_login(getattr(access_world, who))
        # when
        response = client.get(reverse("api-report-list"))
        # then: no client rows shown, none logged
        assert response.status_code == 200, who
        assert response.json()["count"] == count, who
        assert "Anna Zwart" not in response.content.decode(), who
    assert not AccessEvent.objects.exists()


def test_api_list_page_that_does_not_exist_is_404_and_writes_no_row(client, access_world) -> None:
    _report(access_world, per_client=True)
    client.force_login(access_world.nurse_a)
    response = client.get(reverse("api-report-list"), {"page": 2})
    assert response.status_code == 404
    assert response.json()["detail"].startswith("Invalid page")
    assert not AccessEvent.objects.exists()


def test_list_read_cuts_one_page_and_logs_only_what_it_shows(access_world) -> None:
    # given a per-client report, then two newer aggregates: page 1 (size 2) holds only these
    shown_later = _report(access_world, per_client=True)
    _report(access_world, per_client=False)
    _report(access_world, per_client=False)
    # when / then
    listing = reads.report_list_read(actor=access_world.nurse_a, page=1, per_page=2)
    assert len(listing.rows) == 2
    assert listing.page.paginator.count == 3
    assert not AccessEvent.objects.exists()
    listing = reads.report_list_read(actor=access_world.nurse_a, page="last", per_page=2)
    assert listing.rows == [shown_later]
    assert AccessEvent.objects.get().detail == str(shown_later)
    with pytest.raises(EmptyPage, match="That page contains no results"):
        reads.report_list_read(actor=access_world.nurse_a, page=3, per_page=2)
    assert AccessEvent.objects.count() == 1
