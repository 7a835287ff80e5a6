"""A run's invoice lines as a set in PostgreSQL: added up, priced, numbered and stored there.

A national month has about 1.4 million lines. Held as Python objects they cost ~200 bytes
each and a national run 1.8 GB; here they never leave the database as objects:

1. the clients' printed names (surname with prefix and initials, as `services` makes them)
   go to a temporary table, one row per client;
2. ONE `CREATE TEMP TABLE ... AS SELECT` adds up the month per client, service and day of
   care (`aggregation.month_rows_for_staging`, the same GROUP BY and tariff join as the
   Python path) and prices each group in SQL with the rule of `declaration.py`:
   units = (minutes + 2) / 5, amount = round(units * 5 / 60 * rate, 2) (half-up on positive
   amounts, as `line_amount`). PostgreSQL may plan it with parallel workers: a CREATE TABLE
   AS may, an INSERT ... SELECT may not;
3. the few lines the Python path makes (credits and re-billing of corrected closed months,
   re-declared rejections) are copied in after it;
4. the lines are numbered per insurer in file order (`services.line_order`, here an ORDER BY
   with the "C" collation, which sorts text by code point as Python does) into a second
   temporary table, indexed by insurer and line number;
5. the files are written insurer by insurer from a server-side cursor over that table (a
   chunk of rows at a time), and the run's totals, summary and counts are SQL aggregates;
6. in the run's final transaction one `INSERT ... SELECT` moves the lines into InvoiceLine.

The temporary tables belong to the worker's database session and are dropped when the build
ends (`drop`); a killed worker's session ends and takes them with it.
"""

import datetime as dt
import itertools
import json
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.db import DatabaseError, connection, transaction

from scheduling.billing.models import InvoiceLine, LineKind
from scheduling.models import CareService

PEOPLE = "billing_stage_people"
STAGE = "billing_stage_lines"
LINES = "billing_run_lines"

# The columns of a line, as in InvoiceLine (and services.LineData), in this order.
LINE_COLUMNS = (
    "insurer_id",
    "client_id",
    "line_number",
    "bsn",
    "policy_number",
    "client_name",
    "date_of_birth",
    "service_id",
    "service_code",
    "period",
    "service_date",
    "kind",
    "minutes",
    "units",
    "hourly_rate",
    "amount",
    "visit_ids",
)
_STAGE_COLUMNS = [c for c in LINE_COLUMNS if c != "line_number"]

# The group of the month's bulk: a sequence number before every Python line's, so ties in
# file order keep the Python path's order (its lines are sorted stably, after the groups).
_BULK_SEQ = -1

# services.line_order as SQL: client by BSN, credits first, month, service code, day.
_CLIENT_ORDER = 'bsn COLLATE "C", client_id'
_FILE_ORDER = (
    f'{_CLIENT_ORDER}, (kind <> %(credit)s), period, service_code COLLATE "C", '
    "coalesce(service_date, '-infinity'::date), seq"
)


def _execute(sql: str, params: Any = None) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if cursor.description:
            return cursor.fetchall()
        return None


def drop() -> None:
    """Drop this session's staging tables (the end of a build, or a retry's start)."""
    for table in (PEOPLE, STAGE, LINES):
        _execute(f"DROP TABLE IF EXISTS {table}")


def _roomy_temp_buffers() -> None:
    """Keep the temporary tables in memory where the session still allows it (temp_buffers can
    only be changed before the session's first temporary table)."""
    try:
        with transaction.atomic():
            _execute("SET temp_buffers = '256MB'")
    except DatabaseError:
        pass  # a worker's second build: the first one's setting (or the default) stays


def stage_people(people: Iterable[tuple[int, str, dt.date | None]]) -> None:
    """(client id, printed name, date of birth) of every client the run may bill."""
    _roomy_temp_buffers()
    drop()
    _execute(
        f"CREATE TEMP TABLE {PEOPLE} "
        "(client_id integer PRIMARY KEY, client_name text, date_of_birth date)"
    )
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {PEOPLE} FROM STDIN") as copy:
            for row in people:
                copy.write_row(row)
    _execute(f"ANALYZE {PEOPLE}")


def stage_month(*, groups_sql: str, params: Sequence[Any], period: dt.date) -> tuple[int, int]:
    """The month's groups (`groups_sql`: client, insurer, BSN, policy number, service, code,
    rate, day, minutes, visit ids) priced into the stage; returns (groups, unpriced groups).

    A group without a rate (no tariff covers its day) is counted as unpriced and left out;
    a group without minutes is left out (as in services._price)."""
    with transaction.atomic():
        _execute("SET LOCAL work_mem = '256MB'")
        _execute(
            f"""
            CREATE TEMP TABLE {STAGE} AS
            SELECT g.insurer_id, g.client_id, coalesce(g.bsn, '')::text AS bsn,
                   g.policy_number::text AS policy_number, p.client_name, p.date_of_birth,
                   g.service_id, g.service_code::text AS service_code, %s::date AS period,
                   g.service_date, %s::text AS kind, g.minutes::integer AS minutes,
                   u.units::integer AS units, g.hourly_rate,
                   round(u.units * g.hourly_rate * 5 / 60, 2) AS amount,
                   g.visit_ids, {_BULK_SEQ}::bigint AS seq
            FROM ({groups_sql}) AS g(client_id, insurer_id, bsn, policy_number, service_id,
                                     service_code, hourly_rate, service_date, minutes,
                                     visit_ids)
            JOIN {PEOPLE} p ON p.client_id = g.client_id
            CROSS JOIN LATERAL (
                SELECT CASE WHEN coalesce(g.minutes, 0) > 0 THEN (g.minutes + 2) / 5
                            ELSE 0 END AS units
            ) u
            """,  # noqa: S608 - fixed names; the groups' SQL is the ORM's, with its params
            [period, LineKind.DEBIT, *params],
        )
    ((groups, unpriced),) = _execute(
        f"SELECT count(*), count(*) FILTER (WHERE hourly_rate IS NULL) FROM {STAGE}"  # noqa: S608
    )
    _execute(
        f"DELETE FROM {STAGE} WHERE hourly_rate IS NULL OR coalesce(minutes, 0) <= 0"  # noqa: S608
    )
    return groups, unpriced


def staged_keys(keys: set[tuple[int, int, dt.date, dt.date | None]]) -> set[tuple]:
    """Which of `keys` (client, service, month, day) the staged month bills (a debit)."""
    if not keys:
        return set()
    rows = _execute(
        f"SELECT client_id, service_id, period, service_date FROM {STAGE} "  # noqa: S608
        "WHERE client_id = ANY(%s)",
        [sorted({k[0] for k in keys})],
    )
    return {tuple(row) for row in rows} & keys


def stage_lines(lines: Iterable[Any]) -> None:
    """Add the Python path's lines (few), in their file order."""
    with connection.cursor() as cursor:
        columns = ", ".join([*_STAGE_COLUMNS, "seq"])
        with cursor.cursor.copy(f"COPY {STAGE} ({columns}) FROM STDIN") as copy:
            for seq, ln in enumerate(lines):
                copy.write_row(
                    [
                        json.dumps(list(ln.visit_ids)) if c == "visit_ids" else getattr(ln, c)
                        for c in _STAGE_COLUMNS
                    ]
                    + [seq]
                )


def number() -> None:
    """Number the staged lines per insurer in file order into LINES (see module docstring)."""
    with transaction.atomic():
        _execute("SET LOCAL work_mem = '256MB'")
        columns = ", ".join(_STAGE_COLUMNS)
        _execute(
            f"CREATE TEMP TABLE {LINES} AS SELECT {columns}, "  # noqa: S608 - fixed names
            f"row_number() OVER (PARTITION BY insurer_id ORDER BY {_FILE_ORDER})::integer "
            f"AS line_number, "
            # the client's place in the file (its insured record's): see `client_runs`
            f"dense_rank() OVER (PARTITION BY insurer_id ORDER BY {_CLIENT_ORDER})::integer "
            f"AS client_rank FROM {STAGE}",
            {"credit": LineKind.CREDIT},
        )
        _execute(f"DROP TABLE {STAGE}")
        _execute(f"CREATE INDEX ON {LINES} (insurer_id, line_number)")
        _execute(f"ANALYZE {LINES}")


# --- reading the numbered lines ------------------------------------------------------------


def balances() -> dict[int, Decimal]:
    """Each insurer's net amount."""
    rows = _execute(f"SELECT insurer_id, sum(amount) FROM {LINES} GROUP BY insurer_id")  # noqa: S608
    return dict(rows)


def counts() -> tuple[int, int, int, int]:
    """(clients, lines, credit lines, distinct visits) of the run."""
    ((clients, lines, credits),) = _execute(
        f"SELECT count(DISTINCT client_id), count(*), "  # noqa: S608 - fixed names
        f"count(*) FILTER (WHERE kind = %s) FROM {LINES}",
        [LineKind.CREDIT],
    )
    ((visits,),) = _execute(
        f"SELECT count(DISTINCT v) FROM {LINES}, "  # noqa: S608 - fixed names
        "jsonb_array_elements_text(visit_ids) AS v"
    )
    return clients, lines, credits, visits


def summary_totals() -> list[tuple[int, str, str, int, int, Decimal]]:
    """(insurer id, service code, kind, lines, units, amount) per insurer, code and kind."""
    return _execute(
        f"SELECT insurer_id, service_code, kind, count(*), sum(units), sum(amount) "  # noqa: S608
        f"FROM {LINES} GROUP BY insurer_id, service_code, kind"
    )


def insurer_clients(insurer_id: int) -> list[int]:
    rows = _execute(f"SELECT DISTINCT client_id FROM {LINES} WHERE insurer_id = %s", [insurer_id])  # noqa: S608
    return [client_id for (client_id,) in rows]


def insurer_figures(
    insurer_id: int,
) -> tuple[Decimal, Decimal, int, int, int, list[tuple[str, Decimal, str, int, int, int, Decimal]]]:
    """(debit total, credit total, units, insured people, lines, per service code, rate and
    kind: (code, rate, kind, first line's service id, lines, units, amount)) of one insurer."""
    ((debit, credit, units, insured, lines),) = _execute(
        f"""SELECT coalesce(sum(amount) FILTER (WHERE kind = %s), 0),
                   coalesce(sum(amount) FILTER (WHERE kind = %s), 0),
                   coalesce(sum(units), 0), count(DISTINCT client_id), count(*)
            FROM {LINES} WHERE insurer_id = %s""",  # noqa: S608 - fixed names
        [LineKind.DEBIT, LineKind.CREDIT, insurer_id],
    )
    per_service = _execute(
        f"""SELECT service_code, hourly_rate, kind,
                   (array_agg(service_id ORDER BY line_number))[1],
                   count(*), sum(units), sum(amount)
            FROM {LINES} WHERE insurer_id = %s
            GROUP BY service_code, hourly_rate, kind""",  # noqa: S608 - fixed names
        [insurer_id],
    )
    return debit, credit, units, insured, lines, per_service


# What the file writers read of a line: everything but the visit ids (only their count).
ROW_COLUMNS = (
    "line_number",
    "client_id",
    "bsn",
    "policy_number",
    "date_of_birth",
    "client_name",
    "service_id",
    "service_code",
    "period",
    "service_date",
    "minutes",
    "units",
    "hourly_rate",
    "amount",
    "kind",
    "jsonb_array_length(visit_ids)",
)


def iter_rows(
    insurer_id: int, *, first: int = 1, last: int | None = None, chunk: int = 5000
) -> Iterator[tuple]:
    """One insurer's lines in file order (ROW_COLUMNS), from line `first` to `last`, a chunk
    at a time from a server-side cursor: never the insurer's month in memory at once. Other
    queries may run between rows."""
    yield from _stream(
        f"SELECT {', '.join(ROW_COLUMNS)} FROM {LINES} "  # noqa: S608 - fixed names
        "WHERE insurer_id = %s AND line_number BETWEEN %s AND %s ORDER BY line_number",
        [insurer_id, first, 2**31 - 1 if last is None else last],
        chunk=chunk,
    )


_cursor_numbers = itertools.count(1)


def _stream(sql: str, params: Sequence[Any], *, chunk: int) -> Iterator[tuple]:
    """The rows of `sql` from a server-side cursor, `chunk` a fetch (a writer may read a few
    lines again while a cursor over their blocks is open: each cursor has its own name)."""
    connection.ensure_connection()
    with transaction.atomic():
        _execute("SET LOCAL work_mem = '64MB'")  # a block's sort in memory
        raw = connection.connection
        with raw.cursor(name=f"billing_lines_{next(_cursor_numbers)}") as cursor:
            cursor.itersize = chunk
            cursor.execute(sql, params)
            yield from cursor


# --- the files' text, written by the database -----------------------------------------------
#
# A national month's CSV and declaration are ~1.4 million lines and service records each;
# made one by one in Python they were most of the run. The writers (files.py, exporters.py)
# hand over the SQL of ONE line's text over the columns of `_line_view`, and get the text of
# many lines at once. The SQL is NULL for a line it cannot write exactly as Python does (an
# unusual character, a value that does not fit): the block or client holding it comes back
# as None and the writer writes those lines in Python.


def _line_view(insurer_id: int, redeclared_clients: Sequence[int]) -> tuple[str, list[Any]]:
    """One insurer's numbered lines with what the files show of them: the care service's
    name, the number of visits, the detail record's serial number (the line's number plus the
    insured records up to it, one per client in file order: see `client_runs`), and
    `reverses`: '' where the line cites no earlier record, NULL where it may (a credit; a
    client with a re-declared rejection), which Python knows."""
    service = CareService._meta.db_table
    return (
        f"""(SELECT l.*, coalesce(s.name, l.service_code) AS service_name,
                   jsonb_array_length(l.visit_ids) AS visit_count,
                   l.line_number + l.client_rank AS serial,
                   CASE WHEN l.kind = %s OR l.client_id = ANY(%s) THEN NULL ELSE '' END
                     AS reverses
            FROM {LINES} l LEFT JOIN "{service}" s ON s.id = l.service_id
            WHERE l.insurer_id = %s) AS line""",  # noqa: S608 - fixed names
        [LineKind.CREDIT, list(redeclared_clients), insurer_id],
    )


def text_blocks(
    insurer_id: int,
    line_sql: str,
    params: Sequence[Any],
    *,
    columns: Sequence[tuple[str, str, list[Any]]] = (),
    redeclared_clients: Sequence[int] = (),
    block: int = 5000,
) -> Iterator[tuple[int, int, Decimal, str | None]]:
    """(first line, last line, sum of their amounts, text) of one insurer's lines in file
    order, `block` lines at a time: each line's text by `line_sql`, joined; None where a
    line's text is NULL. `columns` (name, SQL, parameters) are worked out once a line, before
    `line_sql` reads them (OFFSET 0 keeps PostgreSQL from putting their SQL back into it)."""
    view, view_params = _line_view(insurer_id, redeclared_clients)
    values = "".join(f", ({sql}) AS {name}" for name, sql, _params in columns)
    value_params = [p for _name, _sql, column_params in columns for p in column_params]
    yield from _stream(
        f"""SELECT min(line_number), max(line_number), sum(amount),
                   CASE WHEN every(t IS NOT NULL) THEN string_agg(t, '' ORDER BY line_number) END
            FROM (SELECT line_number, amount, ({line_sql}) AS t
                  FROM (SELECT line.*{values} FROM {view} OFFSET 0) AS line) AS x
            GROUP BY (line_number - 1) / %s ORDER BY 1""",  # noqa: S608 - fixed names
        [*params, *value_params, *view_params, block],
        chunk=4,  # ~1.5 MB of text a row
    )


def client_runs(insurer_id: int) -> Iterator[tuple[int, int, str, str, dt.date | None, str]]:
    """Where the client changes from one line to the next, in file order (a declaration's
    insured record goes there): (client id, line number, and that line's BSN, policy number,
    date of birth and printed name)."""
    yield from _stream(
        f"""SELECT client_id, line_number, bsn, policy_number, date_of_birth, client_name
            FROM (SELECT client_id, line_number, bsn, policy_number, date_of_birth, client_name,
                         lag(client_id) OVER (ORDER BY line_number) AS previous
                  FROM {LINES} WHERE insurer_id = %s) AS l
            WHERE previous IS DISTINCT FROM client_id ORDER BY line_number""",  # noqa: S608
        [insurer_id],
        chunk=5000,
    )


def store(run_id: int, now: dt.datetime) -> None:
    """Move the numbered lines into InvoiceLine (in the caller's transaction)."""
    table = InvoiceLine._meta.db_table
    columns = ", ".join(LINE_COLUMNS)
    _execute(
        f"INSERT INTO {table} (run_id, created_at, updated_at, {columns}) "  # noqa: S608
        f"SELECT %s, %s, %s, {columns} FROM {LINES}",
        [run_id, now, now],
    )
