"""The access log at scale (issue 22, item 5): inserting a row and "who saw this record".

Two scratch tables in the bench database hold the same BENCH_ACCESSLOG_ROWS rows (20 M by
default: 10,000 nurses, 100,000 clients, evenly over the last 5 years), generated in SQL with
`INSERT ... SELECT generate_series` (never through Python):

* `bench_accesslog_part`: the access log as migration audit 0006 makes it: partitioned by UTC
  month (a partition per month to 3 months ahead and a DEFAULT one), primary key
  (id, occurred_at), the real table's indexes (read from pg_indexes, so they follow it);
* `bench_accesslog_plain`: the baseline, the log as it was before: one table, primary key
  (id), the same indexes.

They are made once and kept (the row count is the table's comment), so BENCH_REGENERATE=0
runs measure without filling again. Measured on each, in the same run:

* INSERT of one row with RETURNING id, each in its own transaction (autocommit), as
  `access_log_write` does for every read of care data: BENCH_ACCESSLOG_INSERTS times;
* the "who saw this record" lookup: the exact SQL of `client_access_report(...)` for the
  report's first page (PAGE_SIZE + 1 rows, newest first), for 200 different clients.

Budgets: the partitioned INSERT at most ACCESSLOG_INSERT_MAX_RATIO × the plain one (p50); the
lookup within a whole page's budget (p50 < 50 ms, p95 < 150 ms: the report page makes this one
query on the log). The lookup is expected to cost more than on one table: PostgreSQL plans and
opens every month's partition (65 of them, each with its indexes), since the client is not the
partition key. That constant is the price of retention by DROP; the ratio is reported.

Run alone on any migrated database (it needs nothing else):
`DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=... python -m bench.accesslog`.
"""

import hashlib
import os
import re
import time
import uuid
from collections.abc import Callable

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.db import connection  # noqa: E402

from bench.measure import PAGE_P50_MS, PAGE_P95_MS, Row, timed  # noqa: E402
from buurtzorg.audit.reads import PAGE_SIZE  # noqa: E402
from buurtzorg.audit.selectors import client_access_report  # noqa: E402

ROWS = int(os.environ.get("BENCH_ACCESSLOG_ROWS", "20000000"))
INSERTS = int(os.environ.get("BENCH_ACCESSLOG_INSERTS", "1000"))
LOOKUP_CLIENTS = 200
NURSES = 10_000
CLIENTS = 100_000
PARTITIONED = "bench_accesslog_part"
PLAIN = "bench_accesslog_plain"
ACCESSLOG_INSERT_MAX_RATIO = 2

COLUMNS = (
    "id, occurred_at, user_id, username, role, action, client_public_id, part, detail, "
    "request_id, ip_address, path"
)
# One row per g in 1..n, evenly from 5 years ago to now; 1 in 10 is a search (no client).
GENERATE = f"""
    INSERT INTO {{table}} ({COLUMNS})
    SELECT g,
           now() - interval '5 years'
               + (now() - (now() - interval '5 years')) * (g::float8 / %(n)s),
           g %% {NURSES},
           'scale-n' || lpad((g %% {NURSES})::text, 5, '0'),
           'nurse',
           CASE WHEN g %% 10 = 0 THEN 'list' ELSE 'view' END,
           CASE WHEN g %% 10 = 0 THEN NULL
                ELSE md5('client-' || ((g * 7919) %% {CLIENTS}))::uuid END,
           CASE WHEN g %% 10 = 0 THEN '' ELSE 'record' END,
           CASE WHEN g %% 10 = 0 THEN 'q=jansen' ELSE '' END,
           md5('request-' || g)::uuid,
           '10.1.0.1',
           '/clients/'
    FROM generate_series(1::bigint, %(n)s::bigint) AS g
"""  # noqa: S608 - table names are this module's constants
INSERT_ONE = f"""
    INSERT INTO {{table}} ({COLUMNS.removeprefix("id, ")})
    VALUES (now(), 1, 'scale-n00001', 'nurse', 'view', %s, 'record', '', %s, '10.1.0.1',
            '/clients/')
    RETURNING id
"""  # noqa: S608


def _client_id(k: int) -> uuid.UUID:
    return uuid.UUID(hashlib.md5(f"client-{k}".encode()).hexdigest())  # noqa: S324 - not security


def _execute(sql: str, params: object = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _filled(table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT obj_description(to_regclass(%s), 'pg_class')", [table])
        return cursor.fetchone()[0] == str(ROWS)


def _index_statements(table: str) -> list[str]:
    """The real access log's indexes (but its primary key), re-aimed at `table`."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = 'audit_accessevent' AND indexname <> 'audit_accessevent_pkey'"
        )
        found = cursor.fetchall()
    statements = []
    for name, definition in found:
        definition = definition.replace(" ON ONLY ", " ON ")
        definition = definition.replace(f"INDEX {name} ON", f"INDEX {table}_{name[-24:]} ON")
        statements.append(re.sub(r" ON \S*audit_accessevent ", f" ON {table} ", definition))
    return statements


def _fill(table: str, *, partitioned: bool) -> float:
    """Make `table` and fill it; seconds taken."""
    start = time.perf_counter()
    _execute(f"DROP TABLE IF EXISTS {table}")
    layout = " PARTITION BY RANGE (occurred_at)" if partitioned else ""
    _execute(f"CREATE TABLE {table} (LIKE audit_accessevent INCLUDING STORAGE){layout}")
    _execute(f"CREATE SEQUENCE {table}_id_seq OWNED BY {table}.id")
    _execute(f"ALTER TABLE {table} ALTER COLUMN id SET DEFAULT nextval('{table}_id_seq')")
    if partitioned:
        _execute(
            f"""
            DO $$
            DECLARE month timestamp;
            BEGIN
                CREATE TABLE {table}_default PARTITION OF {table} DEFAULT;
                FOR month IN SELECT generate_series(
                    date_trunc('month', (now() - interval '5 years') AT TIME ZONE 'UTC'),
                    date_trunc('month', now() AT TIME ZONE 'UTC') + interval '3 months',
                    interval '1 month')
                LOOP
                    EXECUTE format(
                        'CREATE TABLE %I PARTITION OF {table} FOR VALUES FROM (%L) TO (%L)',
                        '{table}_' || to_char(month, '"y"YYYY"m"MM'),
                        month AT TIME ZONE 'UTC',
                        (month + interval '1 month') AT TIME ZONE 'UTC');
                END LOOP;
            END
            $$
            """
        )
    _execute(GENERATE.format(table=table), {"n": ROWS})
    key = "(id, occurred_at)" if partitioned else "(id)"
    _execute(f"ALTER TABLE {table} ADD PRIMARY KEY {key}")
    for statement in _index_statements(table):
        _execute(statement)
    _execute(f"SELECT setval('{table}_id_seq', %s)", [ROWS])
    _execute(f"ANALYZE {table}")
    _execute(f"COMMENT ON TABLE {table} IS '{ROWS}'")
    return time.perf_counter() - start


def _lookup_sql(table: str) -> tuple[str, list[object]]:
    """The report's first page, as the ORM writes it, aimed at `table`."""
    events = client_access_report(client_public_id=_client_id(0))[: PAGE_SIZE + 1]
    sql, params = events.query.sql_with_params()
    return sql.replace('"audit_accessevent"', f'"{table}"'), list(params)


def _measure(table: str) -> tuple[list[float], list[float], int]:
    """(insert seconds, lookup seconds, rows found per lookup on average) for `table`."""

    def insert() -> None:
        with connection.cursor() as cursor:
            cursor.execute(INSERT_ONE.format(table=table), [_client_id(1), uuid.uuid4()])
            cursor.fetchone()

    inserts = timed(insert, INSERTS, warmup=50)
    sql, params = _lookup_sql(table)
    found = 0
    clients = iter(range(10**9))

    def lookup() -> None:
        nonlocal found
        with connection.cursor() as cursor:
            cursor.execute(sql, [_client_id(next(clients) % CLIENTS), *params[1:]])
            found += len(cursor.fetchall())

    lookups = timed(lookup, LOOKUP_CLIENTS, warmup=20)
    return inserts, lookups, found // (LOOKUP_CLIENTS + 20)


def rows(log: Callable[[str], None] = print) -> list[Row]:
    """Fill (if needed) and measure both tables; the four result rows."""
    fills = {}
    for table, partitioned in ((PLAIN, False), (PARTITIONED, True)):
        if not _filled(table):
            log(f"    filling {table} with {ROWS:,} rows (generate_series) ...")
            fills[table] = _fill(table, partitioned=partitioned)
            log(f"    {table}: {fills[table]:.0f} s")
    plain_inserts, plain_lookups, plain_found = _measure(PLAIN)
    part_inserts, part_lookups, part_found = _measure(PARTITIONED)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_inherits WHERE inhparent = to_regclass(%s)", [PARTITIONED]
        )
        partitions = cursor.fetchone()[0]
    size = f"{ROWS / 1e6:g} M rows"
    result = [
        Row(
            f"access log: INSERT one row, one plain table ({size})",
            "baseline",
            times=plain_inserts,
            note="autocommit, as before migration audit 0006",
        ),
        Row(
            f"access log: INSERT one row, partitioned by month ({size})",
            "query",
            times=part_inserts,
            note=f"autocommit, {partitions} partitions",
        ),
        Row(
            f"access log: who saw this record, one plain table ({size})",
            "baseline",
            times=plain_lookups,
            note=f"first page, {LOOKUP_CLIENTS} clients, {plain_found} rows each",
        ),
        Row(
            f"access log: who saw this record, partitioned by month ({size})",
            "query",
            times=part_lookups,
            note=f"first page, {LOOKUP_CLIENTS} clients, {part_found} rows each",
        ),
    ]
    insert_ratio = result[1].p50 / result[0].p50
    lookup_ratio = result[3].p50 / result[2].p50
    result[1].note += f"; {insert_ratio:.2f}× plain"
    result[3].note += f"; {lookup_ratio:.2f}× plain"
    if insert_ratio > ACCESSLOG_INSERT_MAX_RATIO:
        result[1].problems.append(f"{insert_ratio:.2f}× plain > {ACCESSLOG_INSERT_MAX_RATIO}×")
    if result[3].p50 * 1000 > PAGE_P50_MS:
        result[3].problems.append(f"p50 {result[3].p50 * 1000:.1f} ms > {PAGE_P50_MS} ms")
    if result[3].p95 * 1000 > PAGE_P95_MS:
        result[3].problems.append(f"p95 {result[3].p95 * 1000:.1f} ms > {PAGE_P95_MS} ms")
    if plain_found != part_found:
        result[3].problems.append(f"found {part_found} rows a client, plain {plain_found}")
    return result


def main() -> None:
    for row in rows():
        budget = "; ".join(row.problems) or ("" if row.kind == "baseline" else "ok")
        print(
            f"{row.name}: p50 {row.p50 * 1000:.3f} ms, p95 {row.p95 * 1000:.3f} ms "
            f"({row.note}) {budget}"
        )


if __name__ == "__main__":
    main()
