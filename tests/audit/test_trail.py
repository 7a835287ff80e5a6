"""The access log: append-only in the database, retention, one INSERT per request, fail closed."""

from unittest import mock
from uuid import uuid4

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtzorg.audit.models import AccessEvent, Action
from buurtzorg.audit.pdf import StaticOnlyURLFetcher
from buurtzorg.audit.reads import PAGE_SIZE
from buurtzorg.audit.services import access_log_write
from tests.factories import AdminFactory, NurseFactory

pytestmark = pytest.mark.django_db


def _run_sql(*statements: str) -> None:
    """Run raw statements in a savepoint (so a refused one leaves the test usable)."""
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def test_update_of_an_access_row_is_refused_by_the_database() -> None:
    # given
    event = access_log_write(action=Action.VIEW, actor=NurseFactory())
    # when / then
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessEvent.objects.filter(pk=event.pk).update(part="tampered")
    event.refresh_from_db()
    assert event.part == ""


def test_delete_and_raw_sql_delete_are_refused() -> None:
    event = access_log_write(action=Action.VIEW, actor=NurseFactory())
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"):
        _run_sql("DELETE FROM audit_accessevent")
    assert AccessEvent.objects.filter(pk=event.pk).exists()


def test_truncate_is_refused_unless_the_session_switch_is_on() -> None:
    access_log_write(action=Action.VIEW, actor=NurseFactory())
    with pytest.raises(DatabaseError, match="TRUNCATE refused"):
        _run_sql("SET LOCAL buurtzorg.audit_truncate = 'off'", "TRUNCATE audit_accessevent")
    assert AccessEvent.objects.exists()


# Retention (dropping whole months) and the partitions: tests/audit/test_partitions.py.


def test_audit_table_has_no_foreign_keys() -> None:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "audit_accessevent")
    assert not [name for name, c in constraints.items() if c["foreign_key"]]


def test_viewing_the_log_is_logged_with_one_insert(client) -> None:
    # given
    admin = AdminFactory()
    for _ in range(3):
        access_log_write(action=Action.VIEW, actor=NurseFactory())
    client.force_login(admin)
    # when
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("audit:log"), {"user": admin.username})
    # then
    inserts = [q for q in queries if 'INSERT INTO "audit_accessevent"' in q["sql"]]
    assert response.status_code == 200
    assert len(inserts) == 1
    row = AccessEvent.objects.get(user_id=admin.pk)
    assert row.action == Action.AUDIT_VIEW
    assert row.detail == f"user={admin.username}"
    assert row.request_id is not None


def test_log_lists_by_user_and_by_client(client) -> None:
    # given
    nurse, other = NurseFactory(), NurseFactory()
    record = uuid4()
    access_log_write(action=Action.VIEW, actor=nurse, client_public_id=record)
    access_log_write(action=Action.LIST, actor=other, detail="q=jansen")
    client.force_login(AdminFactory())
    # when
    by_user = client.get(reverse("audit:log"), {"user": other.username})
    by_client = client.get(reverse("audit:log"), {"client": str(record)})
    # then
    assert [e.username for e in by_user.context["page"]] == [other.username]
    # (the newest row is the administrator's own look at the log, naming the client)
    rows = [(e.username, e.action) for e in by_client.context["page"]]
    assert rows[1:] == [(nurse.username, Action.VIEW)]
    assert rows[0][1] == Action.AUDIT_VIEW


def test_log_partial_has_flat_query_count(client, django_assert_max_num_queries) -> None:
    client.force_login(AdminFactory())
    counts = []
    for size in (2, 30):
        for _ in range(size):
            access_log_write(action=Action.VIEW, actor=NurseFactory())
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("audit:log"), headers={"HX-Request": "true"})
        assert b"<html" not in response.content
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[0]):
        client.get(reverse("audit:log"), headers={"HX-Request": "true"})


def test_a_failed_audit_write_fails_the_request(client) -> None:
    # given the database refuses the audit INSERT
    client.force_login(AdminFactory())
    with mock.patch.object(
        AccessEvent.objects, "create", side_effect=DatabaseError("audit table unavailable")
    ):
        # when / then: the request errors instead of being served unlogged
        with pytest.raises(DatabaseError, match="audit table unavailable"):
            client.get(reverse("audit:log"))


def test_client_report_page_csv_and_pdf(client) -> None:
    # given
    record = uuid4()
    nurse = NurseFactory(username="nurse-report")
    access_log_write(action=Action.VIEW, actor=nurse, client_public_id=record)
    access_log_write(action=Action.EXPORT, actor=nurse, client_public_id=record, detail="=1+2")
    access_log_write(action=Action.VIEW, actor=NurseFactory(), client_public_id=uuid4())
    client.force_login(AdminFactory())
    # when
    page = client.get(reverse("audit:client-report", args=[record]))
    csv = client.get(reverse("audit:client-report-csv", args=[record]))
    pdf = client.get(reverse("audit:client-report-pdf", args=[record]))
    # then
    assert [e.username for e in page.context["page"]] == ["nurse-report", "nurse-report"]
    body = b"".join(csv.streaming_content).decode()
    assert body.count("nurse-report") == 2
    assert "'=1+2" in body  # formula neutralised
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    # and each view was logged, naming the client and the kind
    logged = AccessEvent.objects.filter(action=Action.AUDIT_VIEW, client_public_id=record)
    assert sorted(logged.values_list("detail", flat=True)) == ["csv", "page", "pdf"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:6379/",
        "file:///etc/passwd",
        "https://pdf.invalid/static/../../etc/passwd",
        "data:text/plain,hello",
        "https://example.org/static/css/app.css",
    ],
)
def test_pdf_fetcher_refuses_anything_but_local_static_files(url: str) -> None:
    with pytest.raises(ValueError, match="Only the application's own static files"):
        StaticOnlyURLFetcher().fetch(url)


def test_pdf_fetcher_serves_a_static_file() -> None:
    response = StaticOnlyURLFetcher().fetch("https://pdf.invalid/static/css/app.css")
    assert b"body" in response.read()


@pytest.mark.parametrize("who", ["nurse", "anonymous"])
def test_log_is_for_administrators_only(client, who: str) -> None:
    if who == "nurse":
        client.force_login(NurseFactory())
    response = client.get(reverse("audit:log"))
    assert response.status_code == (404 if who == "nurse" else 302)


def test_log_pages_without_counting_the_whole_log(client) -> None:
    # given more rows than one page holds (the administrator's own views add one each)
    admin = AdminFactory()
    nurse = NurseFactory()
    for _ in range(PAGE_SIZE + 5):
        access_log_write(action=Action.VIEW, actor=nurse)
    client.force_login(admin)
    # when
    with CaptureQueriesContext(connection) as queries:
        first = client.get(reverse("audit:log"), {"user": nurse.username})
    second = client.get(reverse("audit:log"), {"user": nurse.username, "page": "2"})
    beyond = client.get(reverse("audit:log"), {"user": nurse.username, "page": "9"})
    # then: no COUNT(*), a full first page with a link on, the rest on page 2
    assert not [q for q in queries if "COUNT(" in q["sql"].upper()]
    assert len(first.context["page"]) == PAGE_SIZE
    assert first.context["page"].has_next()
    assert "page=2" in first.content.decode()
    assert len(second.context["page"]) == 5
    assert not second.context["page"].has_next()
    assert "page=1" in second.content.decode()
    assert list(beyond.context["page"]) == []
