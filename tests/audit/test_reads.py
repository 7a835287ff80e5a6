"""Reading the access log is itself logged: one `audit_view` row per read, administrators only."""

from uuid import uuid4

import pytest
from django.http import Http404

from buurtzorg.audit import reads
from buurtzorg.audit.models import AccessEvent, Action
from buurtzorg.audit.services import access_log_write
from teams.models import Role
from tests.factories import AdminFactory, BackOfficeFactory, CoachFactory, NurseFactory

pytestmark = pytest.mark.django_db


def test_the_log_reader_role_is_the_administrator() -> None:
    # (named in the audit package so that it imports no app)
    assert reads.LOG_READER_ROLES == (Role.ADMIN,)


def test_access_log_read_is_one_row_naming_the_filters() -> None:
    # given a row about a client
    admin, nurse, record = AdminFactory(), NurseFactory(), uuid4()
    access_log_write(actor=nurse, action=Action.VIEW, client_public_id=record)
    # when the administrator reads the log for that client
    page = reads.access_log_read(actor=admin, query=f"client={record}", client_public_id=record)
    # then she sees her own look first, then the nurse's read, and one row was added
    assert [(e.username, e.action) for e in page] == [
        (admin.username, Action.AUDIT_VIEW),
        (nurse.username, Action.VIEW),
    ]
    row = AccessEvent.objects.get(user_id=admin.pk)
    assert (row.action, row.part, row.detail, row.client_public_id) == (
        Action.AUDIT_VIEW,
        "audit-log",
        f"client={record}",
        record,
    )


@pytest.mark.parametrize("kind", ["page", "csv", "pdf"])
def test_who_saw_my_record_is_one_row_per_read(kind: str) -> None:
    admin, nurse, record = AdminFactory(), NurseFactory(), uuid4()
    access_log_write(actor=nurse, action=Action.VIEW, client_public_id=record)
    read = {
        "page": reads.client_access_report_read,
        "csv": reads.client_access_report_csv_read,
        "pdf": reads.client_access_report_pdf,
    }[kind]
    result = read(actor=admin, client_public_id=record)
    if kind == "pdf":
        assert result.startswith(b"%PDF")
    else:  # (the administrator's own look is not part of the report)
        assert [e.username for e in result] == [nurse.username]
    row = AccessEvent.objects.get(user_id=admin.pk)
    assert (row.action, row.part, row.detail, row.client_public_id) == (
        Action.AUDIT_VIEW,
        "who-saw-my-record",
        kind,
        record,
    )


@pytest.mark.parametrize("factory", [NurseFactory, CoachFactory, BackOfficeFactory])
def test_anyone_but_an_administrator_gets_404_and_writes_no_row(factory) -> None:
    actor, record = factory(), uuid4()
    for read in (
        lambda: reads.access_log_read(actor=actor, query=""),
        lambda: reads.client_access_report_read(actor=actor, client_public_id=record),
        lambda: reads.client_access_report_csv_read(actor=actor, client_public_id=record),
        lambda: reads.client_access_report_pdf(actor=actor, client_public_id=record),
    ):
        with pytest.raises(Http404, match="^$"):  # (no message: as for any page she may not see)
            read()
    assert not AccessEvent.objects.exists()


def test_an_inactive_administrator_reads_nothing() -> None:
    admin = AdminFactory(is_active=False)
    with pytest.raises(Http404, match="^$"):
        reads.access_log_read(actor=admin, query="")
    assert not AccessEvent.objects.exists()
