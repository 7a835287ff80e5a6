"""The access log partitioned by month (issue 22, item 5): partitions made ahead, retention by
dropping whole months, still append-only on every partition. Real PostgreSQL; DDL is
transactional, so every test's partitions go with its rollback."""

import datetime as dt
from io import StringIO
from uuid import uuid4

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from buurtzorg.audit.models import AccessEvent, Action
from buurtzorg.audit.selectors import client_access_report
from buurtzorg.audit.services import (
    RETENTION_TOO_SHORT,
    access_log_write,
    audit_partitions_make_ahead,
    audit_purge_expired,
)
from buurtzorg.audit.tasks import audit_partitions_maintain_task
from tests.factories import NurseFactory

pytestmark = pytest.mark.django_db


def _month(when: dt.datetime | dt.date, *, add: int = 0) -> dt.date:
    """The first day of the (UTC) month `add` months after the one holding `when`."""
    if isinstance(when, dt.datetime):
        when = when.astimezone(dt.UTC).date()
    index = when.year * 12 + when.month - 1 + add
    return dt.date(index // 12, index % 12 + 1, 1)


def _name(month: dt.date) -> str:
    return f"audit_accessevent_y{month:%Y}m{month:%m}"


def _partitions() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'audit_accessevent'::regclass ORDER BY 1"
        )
        return [row[0] for row in cursor.fetchall()]


def _partition_of(event_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM audit_accessevent WHERE id = %s", [event_id]
        )
        return cursor.fetchone()[0]


def _insert_event(*, occurred_at: dt.datetime, client_public_id=None, username="old") -> int:
    """A row with a chosen timestamp (auto_now_add would overwrite it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_accessevent (occurred_at, user_id, username, role, action,"
            " client_public_id, part, detail, request_id, path)"
            " VALUES (%s, NULL, %s, 'nurse', 'view', %s, 'record', '', %s, '/') RETURNING id",
            [occurred_at, username, client_public_id, uuid4()],
        )
        return cursor.fetchone()[0]


def _make_partition(month: dt.date) -> None:
    """What the rotation does for one month, for a month in the past (the migration role)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT audit_accessevent_partition_make(%s)", [month])


def _drop_partition(month: dt.date) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE audit_accessevent DETACH PARTITION {_name(month)}")
        cursor.execute(f"DROP TABLE {_name(month)}")


def _run_sql(sql: str) -> None:
    """A statement in a savepoint, so a refused one leaves the test usable."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


def test_the_table_is_partitioned_by_month_with_three_months_ahead_and_a_default() -> None:
    # given the migrated database
    this_month = _month(timezone.now())
    # then
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_partkeydef('audit_accessevent'::regclass), "
            "pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'audit_accessevent'::regclass AND contype = 'p'"
        )
        partition_key, primary_key = cursor.fetchone()
    assert partition_key == "RANGE (occurred_at)"
    assert primary_key == "PRIMARY KEY (id, occurred_at)"
    partitions = _partitions()
    assert "audit_accessevent_default" in partitions
    for add in range(settings.AUDIT_LOG_PARTITIONS_AHEAD + 1):
        assert _name(_month(this_month, add=add)) in partitions


def test_a_row_goes_to_its_months_partition_and_keeps_an_id_from_the_sequence() -> None:
    # when
    first = access_log_write(action=Action.VIEW, actor=NurseFactory())
    second = access_log_write(action=Action.VIEW, actor=NurseFactory())
    last_year = _insert_event(occurred_at=timezone.now() - dt.timedelta(days=365))
    # then
    assert _partition_of(first.pk) == _name(_month(first.occurred_at))
    assert second.pk == first.pk + 1
    assert AccessEvent.objects.get(pk=second.pk).username == second.username
    # (a month before the oldest partition has no partition of its own: the DEFAULT one)
    expected = _name(_month(timezone.now(), add=-12))
    assert _partition_of(last_year) in (expected, "audit_accessevent_default")


def test_rotation_makes_the_months_ahead_and_nothing_twice() -> None:
    # given the furthest partition is missing (as three months after the migration)
    furthest = _month(timezone.now(), add=settings.AUDIT_LOG_PARTITIONS_AHEAD)
    _drop_partition(furthest)
    # when
    made = audit_partitions_make_ahead()
    again = audit_partitions_make_ahead()
    further = audit_partitions_make_ahead(months_ahead=settings.AUDIT_LOG_PARTITIONS_AHEAD + 2)
    # then
    assert made == [_name(furthest)]
    assert again == []
    assert further == [_name(_month(furthest, add=1)), _name(_month(furthest, add=2))]
    assert _name(_month(furthest, add=2)) in _partitions()


def test_rows_waiting_in_the_default_partition_move_into_their_new_month() -> None:
    # given a row dated beyond the partitions made so far (a clock far ahead)
    ahead = settings.AUDIT_LOG_PARTITIONS_AHEAD + 2
    when = timezone.now() + dt.timedelta(days=31 * ahead)
    waiting = _insert_event(occurred_at=when)
    assert _partition_of(waiting) == "audit_accessevent_default"
    # when its month's partition is made
    made = audit_partitions_make_ahead(months_ahead=ahead + 1)
    # then it is there, same id, and the DEFAULT partition is empty and still protected
    assert _name(_month(when)) in made
    assert _partition_of(waiting) == _name(_month(when))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM audit_accessevent_default")
        assert cursor.fetchone()[0] == 0
    with pytest.raises(DatabaseError, match="append-only: TRUNCATE refused"):
        _run_sql("SET LOCAL buurtzorg.audit_truncate = 'off'; TRUNCATE audit_accessevent_default")


def test_purge_drops_partitions_past_the_retention_and_keeps_recent_rows() -> None:
    # given a month six years ago with rows, one 4 years 11 months ago, and today's rows
    now = timezone.now()
    old_month = _month(now, add=-72)
    kept_month = _month(now, add=-59)
    _make_partition(old_month)
    _make_partition(kept_month)
    old = [
        _insert_event(occurred_at=dt.datetime.combine(old_month, dt.time(12), tzinfo=dt.UTC))
        for _ in range(3)
    ]
    kept = _insert_event(occurred_at=dt.datetime.combine(kept_month, dt.time(12), tzinfo=dt.UTC))
    recent = access_log_write(action=Action.VIEW, actor=NurseFactory())
    assert _partition_of(old[0]) == _name(old_month)
    # when
    dropped = audit_purge_expired()
    # then the old month is gone as a whole, by DROP (the trigger refuses every DELETE)
    assert dropped == [_name(old_month)]
    assert _name(old_month) not in _partitions()
    assert not AccessEvent.objects.filter(pk__in=old).exists()
    assert AccessEvent.objects.filter(pk__in=[kept, recent.pk]).count() == 2
    assert audit_purge_expired() == []


def test_purge_drops_only_the_old_rows_of_the_default_partition() -> None:
    # given rows in the DEFAULT partition (dated before any month partition): 6 and 2 years old
    now = timezone.now()
    ancient = _insert_event(occurred_at=now - dt.timedelta(days=6 * 366))
    young = _insert_event(occurred_at=now - dt.timedelta(days=2 * 365), username="young")
    assert _partition_of(ancient) == _partition_of(young) == "audit_accessevent_default"
    # when
    dropped = audit_purge_expired()
    # then
    assert dropped == ["audit_accessevent_default (1 rows)"]
    assert not AccessEvent.objects.filter(pk=ancient).exists()
    assert AccessEvent.objects.get(pk=young).username == "young"


def test_a_retention_below_five_years_is_refused_by_the_service_and_the_database(
    settings,
) -> None:
    settings.AUDIT_LOG_RETENTION_YEARS = 4
    with pytest.raises(ImproperlyConfigured, match="kept at least 5 years; 4 is too short"):
        audit_purge_expired()
    assert RETENTION_TOO_SHORT.startswith("The access log is kept at least")
    with pytest.raises(DatabaseError, match="kept at least 5 years, not 4"):
        _run_sql("SELECT * FROM audit_accessevent_partitions_drop_expired(4)")


def test_a_longer_retention_keeps_the_older_months(settings) -> None:
    # given a month six years ago and a retention of 7 years
    old_month = _month(timezone.now(), add=-72)
    _make_partition(old_month)
    settings.AUDIT_LOG_RETENTION_YEARS = 7
    # when / then
    assert audit_purge_expired() == []
    assert _name(old_month) in _partitions()


def test_update_delete_and_truncate_are_refused_on_the_table_and_each_partition() -> None:
    # given
    event = access_log_write(action=Action.VIEW, actor=NurseFactory())
    partition = _partition_of(event.pk)
    _insert_event(occurred_at=timezone.now() - dt.timedelta(days=6 * 366))  # in DEFAULT
    # when / then: through the parent and on the partition itself
    for table in ("audit_accessevent", partition, "audit_accessevent_default"):
        with pytest.raises(DatabaseError, match="append-only: UPDATE refused"):
            _run_sql(f"UPDATE {table} SET part = 'tampered'")  # noqa: S608
        with pytest.raises(DatabaseError, match="append-only: DELETE refused"):
            _run_sql(f"DELETE FROM {table}")  # noqa: S608
    # and the purge switch of migration 0002 lets nothing through any more
    with pytest.raises(DatabaseError, match="append-only: DELETE refused"):
        _run_sql(
            "SET LOCAL buurtzorg.audit_purge = 'on'; "
            f"DELETE FROM {partition} WHERE id = {int(event.pk)}"  # noqa: S608
        )
    with pytest.raises(DatabaseError, match="TRUNCATE refused"):
        _run_sql(f"SET LOCAL buurtzorg.audit_truncate = 'off'; TRUNCATE {partition}")
    event.refresh_from_db()
    assert event.part == ""


def test_who_saw_this_record_reads_across_months_newest_first() -> None:
    # given one client's record read this month, two months ago and a year ago
    record = uuid4()
    now = timezone.now()
    year_ago = _insert_event(occurred_at=now - dt.timedelta(days=365), client_public_id=record)
    months_ago = _insert_event(occurred_at=now - dt.timedelta(days=62), client_public_id=record)
    latest = access_log_write(action=Action.VIEW, actor=NurseFactory(), client_public_id=record)
    _insert_event(occurred_at=now - dt.timedelta(days=30), client_public_id=uuid4())
    # when
    rows = list(client_access_report(client_public_id=record).values_list("pk", flat=True))
    # then
    assert rows == [latest.pk, months_ago, year_ago]


def test_the_lookup_scans_only_the_months_asked_for() -> None:
    # given a lookup bounded to this month (as the log page's date filter makes it)
    record = uuid4()
    start = timezone.now() - dt.timedelta(days=1)
    events = client_access_report(client_public_id=record).filter(occurred_at__gte=start)
    # when
    plan = events.explain()
    # then the plan names no partition of last year
    assert _name(_month(timezone.now(), add=-12)) not in plan
    assert _name(_month(timezone.now())) in plan


def test_the_nightly_task_and_the_command_do_both_steps() -> None:
    # given a missing month ahead and an expired one
    furthest = _month(timezone.now(), add=settings.AUDIT_LOG_PARTITIONS_AHEAD)
    _drop_partition(furthest)
    old_month = _month(timezone.now(), add=-80)
    _make_partition(old_month)
    # when
    result = audit_partitions_maintain_task.delay().get()
    # then
    assert result == {"made": [_name(furthest)], "dropped": [_name(old_month)]}
    # and the operators' command says what it did
    _drop_partition(furthest)
    out = StringIO()
    call_command("audit_partitions", stdout=out)
    assert f"Made {_name(furthest)}" in out.getvalue()
    assert "in order" in out.getvalue()
    _make_partition(old_month)
    out = StringIO()
    call_command("audit_purge", stdout=out)
    assert f"Dropped {_name(old_month)}" in out.getvalue()
    assert "keeps 5 years" in out.getvalue()
