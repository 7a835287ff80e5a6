"""Smoke test of the access-log benchmark at 5,000 rows (the 20 M run is in `make bench`)."""

import pytest
from django.db import connection

from bench import accesslog

pytestmark = pytest.mark.django_db


def test_both_tables_hold_the_same_rows_and_the_lookup_finds_the_same(monkeypatch) -> None:
    # given a small run
    monkeypatch.setattr(accesslog, "ROWS", 5_000)
    monkeypatch.setattr(accesslog, "INSERTS", 5)
    monkeypatch.setattr(accesslog, "LOOKUP_CLIENTS", 5)
    monkeypatch.setattr(accesslog, "CLIENTS", 50)
    # when
    rows = accesslog.rows(log=lambda _: None)
    # then four rows, each timed, and the partitioned table is laid out as the real log
    assert [r.kind for r in rows] == ["baseline", "query", "baseline", "query"]
    assert all(len(r.times) for r in rows)
    assert rows[1].note.endswith("× plain")
    assert not [p for p in rows[3].problems if p.startswith("found")]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM bench_accesslog_plain), "
            "(SELECT count(*) FROM bench_accesslog_part), "
            "(SELECT count(*) FROM pg_inherits "
            " WHERE inhparent = 'bench_accesslog_part'::regclass), "
            "pg_get_partkeydef('bench_accesslog_part'::regclass)"
        )
        plain, partitioned, partitions, key = cursor.fetchone()
    assert plain == partitioned == 5_000 + 5 + 50  # generated + timed + warm-up inserts
    assert partitions >= 60 + 3
    assert key == "RANGE (occurred_at)"
