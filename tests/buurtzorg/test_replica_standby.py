"""A real PostgreSQL streaming hot standby behind the `replica` alias (issue 22, item 3).

The module starts a standby of the test cluster: `pg_basebackup -R` into a temporary
directory, started with `pg_ctl` on a free port (55432 when free) as the `postgres` OS user,
and stopped and removed after the module, whatever happens. The tests then show an outcome
report reading from it (`pg_is_in_recovery()` on the connection it reads, data there only once
replayed) while every write goes to the primary.

Streaming replication needs a `replication` line in the primary's pg_hba.conf: the module
adds `host replication postgres 127.0.0.1/32 trust` when no replication line is there (once;
the cluster already trusts every local connection) and reloads the configuration. Skipped only
where `pg_basebackup` is not installed.
"""

import contextlib
import datetime as dt
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtzorg.dbrouter import REPLICA, _pin_key, replica_reads
from omaha.reports import aggregates, services
from omaha.reports.models import OutcomeReport, ReportScope, ReportStatus
from tests.factories import (
    BackOfficeFactory,
    ClientFactory,
    ClientProblemFactory,
    CoachAssignmentFactory,
    CoachFactory,
    OutcomeRatingFactory,
    TeamFactory,
    problem_by_code,
)
from tests.replica import replica_alias

PG_BASEBACKUP = shutil.which("pg_basebackup")
HBA_LINE = "host replication postgres 127.0.0.1/32 trust"
HBA_NOTE = "# buurtzorg tests: a streaming standby (tests/buurtzorg/test_replica_standby.py)"
# Settings a hot standby must have at least as high as its primary.
AT_LEAST_PRIMARY = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)
START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)

pytestmark = [
    pytest.mark.skipif(PG_BASEBACKUP is None, reason="pg_basebackup is not installed"),
    pytest.mark.django_db(transaction=True, databases=["default", REPLICA]),
]


@dataclass
class Standby:
    port: int
    data: Path


def _as_postgres(*command: str) -> list[str]:
    """Run as the postgres OS user (PostgreSQL refuses to run as root)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return list(command)


def _free_port() -> int:
    for port in (55432, 0):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError("no free port")


def _primary(sql: str) -> str:
    with connections["default"].cursor() as cursor:
        cursor.execute(sql)
        return str(cursor.fetchone()[0])


def _allow_replication() -> None:
    """Idempotent: a replication line in the primary's pg_hba.conf, then a reload."""
    hba = Path(_primary("SHOW hba_file"))
    lines = [line.split("#")[0].split() for line in hba.read_text().splitlines()]
    if not any(len(words) > 1 and words[1] == "replication" for words in lines):
        with hba.open("a") as out:
            out.write(f"\n{HBA_NOTE}\n{HBA_LINE}\n")
        _primary("SELECT pg_reload_conf()")


def _bindir() -> Path:
    major = int(_primary("SHOW server_version_num")) // 10000
    debian = Path(f"/usr/lib/postgresql/{major}/bin")
    return debian if (debian / "pg_ctl").exists() else Path(PG_BASEBACKUP or "").parent


def _run(command: list[str], timeout: float) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout}\n{done.stderr}"


@contextlib.contextmanager
def _standby() -> Iterator[Standby]:
    """A hot standby of the test cluster, streaming from it; stopped and removed after."""
    _allow_replication()
    pg_ctl = str(_bindir() / "pg_ctl")
    primary_port = connections["default"].settings_dict["PORT"] or "5432"
    minimums = {name: _primary(f"SHOW {name}") for name in AT_LEAST_PRIMARY}
    root = Path(tempfile.mkdtemp(prefix="bz-standby-"))
    postgres = pwd.getpwnam("postgres") if os.geteuid() == 0 else None
    if postgres is not None:
        os.chown(root, postgres.pw_uid, postgres.pw_gid)
    root.chmod(0o700)
    data, port, started = root / "data", _free_port(), False
    try:
        _run(
            _as_postgres(
                PG_BASEBACKUP or "pg_basebackup",
                *("-h", "127.0.0.1", "-p", str(primary_port), "-U", "postgres"),
                *("-D", str(data), "-R", "-X", "stream", "-c", "fast", "--no-sync"),
            ),
            timeout=120,
        )
        # Debian keeps the configuration outside the data directory: the standby gets its own.
        settings = {
            "port": str(port),
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{root}'",
            "hot_standby": "on",
            "fsync": "off",
            "shared_buffers": "16MB",
            **minimums,
        }
        config = "".join(f"{name} = {value}\n" for name, value in settings.items())
        hba = "local all all trust\nhost all all 127.0.0.1/32 trust\n"
        for name, text in (
            ("postgresql.conf", config),
            ("pg_hba.conf", hba),
            ("pg_ident.conf", ""),
        ):
            (data / name).write_text(text)
            if postgres is not None:
                os.chown(data / name, postgres.pw_uid, postgres.pw_gid)
        started = True
        _run(
            _as_postgres(
                pg_ctl, "-D", str(data), "-l", str(root / "log"), "-w", "-t", "30", "start"
            ),
            timeout=40,
        )
        yield Standby(port=port, data=data)
    finally:
        if started:
            subprocess.run(
                _as_postgres(pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"),
                capture_output=True,
                timeout=30,
            )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def standby(django_db_setup: None, django_db_blocker) -> Iterator[Standby]:  # noqa: ANN001
    """Module-scoped, before the tests' database fixtures, so that they may name `replica`."""
    with django_db_blocker.unblock(), _standby() as server:
        connections["default"].close()  # the set-up's connection is not the test's
        with replica_alias(HOST="127.0.0.1", PORT=str(server.port)):
            yield server


def _on_replica(sql: str, params: list | None = None) -> object:
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchone()[0]


def _wait_for_replay(timeout: float = 10) -> None:
    position = _primary("SELECT pg_current_wal_lsn()")
    deadline = time.monotonic() + timeout
    while not _on_replica("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [position]):
        assert time.monotonic() < deadline, "the standby did not catch up"
        time.sleep(0.05)


def _rated_client(team: object, name: str) -> None:
    client_record = ClientFactory(team=team, last_name=name, admitted_on=dt.date(2025, 6, 1))
    problem = ClientProblemFactory(
        client=client_record, problem=problem_by_code("24"), identified_on=dt.date(2025, 6, 1)
    )
    for day, score in ((dt.date(2026, 1, 5), 2), (dt.date(2026, 3, 1), 4)):
        OutcomeRatingFactory(
            client_problem=problem, rated_on=day, knowledge=score, behavior=score, status=score
        )


@contextlib.contextmanager
def paused_replay() -> Iterator[None]:
    """The standby stops applying WAL (it still receives it) within the block."""
    _on_replica("SELECT pg_wal_replay_pause()::text")
    try:
        yield
    finally:
        _on_replica("SELECT pg_wal_replay_resume()::text")


def _figures_sql(queries: list[dict]) -> list[str]:
    return [q["sql"] for q in queries if '"scheduling_visit"' in q["sql"]]


def test_an_outcome_report_reads_the_standby_and_writes_the_primary(
    standby, settings, client
) -> None:
    # One test (a transactional test's flush costs seconds): the standby's view, a report, and
    # a coach's dashboard before and after she writes.
    settings.REPLICA_CATCH_UP_SECONDS = 0.5
    # given: a team with one rated client and a report asked for, committed on the primary
    team = TeamFactory()
    _rated_client(team, "Eerste")
    report = OutcomeReport.objects.create(
        scope=ReportScope.TEAM,
        team=team,
        period_start=START,
        period_end=END,
        requested_by=BackOfficeFactory(),
        steps_total=aggregates.STEPS + 1,
    )
    _wait_for_replay()
    assert _on_replica("SELECT pg_is_in_recovery()") is True
    assert _primary("SELECT pg_is_in_recovery()") == "False"

    # when: a second client is written while the standby does not replay
    with paused_replay():
        _rated_client(team, "Tweede")
        # then: the replica does not have her yet, the primary does
        with replica_reads() as alias:
            assert alias == REPLICA
            assert aggregates.scope_clients(report).count() == 1
        assert aggregates.scope_clients(report).count() == 2
        # and a job that must see every committed write does not read the lagging replica
        with replica_reads(caught_up=True) as alias:
            assert alias == "default"
            assert aggregates.scope_clients(report).count() == 2

    # when: the report is built with the standby replaying again
    settings.REPLICA_CATCH_UP_SECONDS = 10
    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        services.outcome_report_build(report_id=report.pk, language="en")
    # then: the aggregates were read on the standby (once it had replayed both clients)
    replica_sql = [q["sql"] for q in on_replica.captured_queries]
    assert any('"clients_outcomerating"' in sql for sql in replica_sql)
    assert not any(sql.lstrip().upper().startswith(("INSERT", "UPDATE")) for sql in replica_sql)
    primary_sql = [q["sql"] for q in on_primary.captured_queries]
    assert not any('"clients_outcomerating"' in sql for sql in primary_sql)
    # and its progress and result were written on the primary
    assert any(sql.lstrip().startswith('UPDATE "reports_outcomereport"') for sql in primary_sql)
    built = OutcomeReport.objects.using("default").get(pk=report.pk)
    assert built.status == ReportStatus.DONE
    assert built.result["clients"] == 2
    assert built.result["kbs"][0]["rated"] == 2
    assert built.result["kbs"][0]["improved"] == 2

    # given: the team's coach, replicated
    coach = CoachFactory()
    CoachAssignmentFactory(team=team, coach=coach)
    cache.delete(_pin_key(coach.pk))
    client.force_login(coach)
    _wait_for_replay()
    # when: she opens her dashboard
    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        assert client.get(reverse("coaching:dashboard")).status_code == 200
    # then: its figures were read on the standby (which teams are hers, on the primary)
    assert _figures_sql(on_replica.captured_queries)
    assert not _figures_sql(on_primary.captured_queries)
    # when: she writes (her language), then opens it again
    client.post(reverse("teams:language"), {"language": "en", "next": "/"})
    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        assert client.get(reverse("coaching:dashboard")).status_code == 200
    # then: for READ_YOUR_WRITES_SECONDS she reads the primary
    assert not _figures_sql(on_replica.captured_queries)
    assert _figures_sql(on_primary.captured_queries)
