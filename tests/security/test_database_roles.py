"""The app's database role (issue 20, item 7): it owns nothing and may only read and append
to the access log and the change history; finalised billing runs are read-only by trigger.

Each test creates the app role inside its own transaction (roles are transactional in
PostgreSQL, so it is gone afterwards), grants it with the same function `migrate` uses, and
acts as it with SET ROLE on the test connection.
"""

import datetime as dt
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from io import StringIO
from pathlib import Path

import psycopg
import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from buurtzorg.audit.models import AccessEvent, Action
from buurtzorg.audit.services import access_log_write, audit_partitions_maintain
from buurtzorg.dbroles import append_only_tables
from clients.models import ClientStatus
from clients.reads import client_record_open
from clients.services import client_update
from scheduling.billing import services as billing
from scheduling.billing.models import BillingRun, InvoiceLine, RunStatus
from scheduling.history.models import ClientEvent
from scheduling.privacy.services import client_erase
from tests.billing import conftest as billing_fixtures
from tests.factories import ClientFactory, NurseFactory

ROOT = Path(__file__).resolve().parents[2]
billing_world = billing_fixtures.billing_world  # the billing tests' small world


@pytest.fixture
def app_role(db: None) -> str:
    name = f"{connection.settings_dict['NAME']}_app"[:60]
    call_command("db_grant_app_role", name, stdout=StringIO())
    return name


@contextmanager
def acting_as(role: str) -> Iterator[None]:
    """Run the block as `role` (a savepoint: a refused statement leaves the test usable)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {connection.ops.quote_name(role)}")
        yield
        cursor.execute("RESET ROLE")


def _sql(sql: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _statements(*sqls: str) -> Callable[[], None]:
    def run() -> None:
        for sql in sqls:
            _sql(sql)

    return run


def _attempt(role: str | None, action: Callable[[], object]) -> None:
    """Run `action` as `role` (None: as the test's own role, the owner) in a savepoint."""
    if role:
        with acting_as(role):
            action()
    else:
        with transaction.atomic():
            action()


def _current_user() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        return cursor.fetchone()[0]


def test_the_grant_gives_only_select_and_insert_on_append_only_tables(app_role) -> None:
    # then: every append-only table (access log, every history table) allows exactly these
    tables = append_only_tables()
    assert "audit_accessevent" in tables
    assert "history_clientevent" in tables
    assert "history_visitevent" in tables
    for table in tables:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT privilege_type FROM information_schema.role_table_grants "
                "WHERE grantee = %s AND table_name = %s ORDER BY 1",
                [app_role, table],
            )
            assert [row[0] for row in cursor.fetchall()] == ["INSERT", "SELECT"], table
    # and a normal table gets the four DML rights, never TRUNCATE, TRIGGER or REFERENCES
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT privilege_type FROM information_schema.role_table_grants "
            "WHERE grantee = %s AND table_name = 'clients_client' ORDER BY 1",
            [app_role],
        )
        assert [row[0] for row in cursor.fetchall()] == ["DELETE", "INSERT", "SELECT", "UPDATE"]


def test_the_app_role_cannot_disable_the_append_only_trigger(app_role) -> None:
    with pytest.raises(DatabaseError, match="must be owner"), acting_as(app_role):
        _sql("ALTER TABLE audit_accessevent DISABLE TRIGGER audit_accessevent_append_only")
    with pytest.raises(DatabaseError, match="must be owner"), acting_as(app_role):
        _sql("ALTER TABLE scheduling_visit DISABLE TRIGGER USER")
    with pytest.raises(DatabaseError, match="must be owner"), acting_as(app_role):
        _sql("ALTER TABLE billing_invoiceline DISABLE TRIGGER ALL")
    assert _current_user() != app_role


def test_the_truncate_switch_does_nothing_for_the_app_role(app_role) -> None:
    # given a row, and (as if by mistake) the TRUNCATE privilege granted to the app role
    access_log_write(action=Action.VIEW, actor=NurseFactory())
    # when / then: without the privilege, the switch does not help
    truncate = _statements(
        "SET LOCAL buurtzorg.audit_truncate = 'on'", "TRUNCATE audit_accessevent"
    )
    with pytest.raises(DatabaseError, match="permission denied"):
        _attempt(app_role, truncate)
    # and with it, the trigger still refuses a role that does not own the table
    _sql(f"GRANT TRUNCATE ON audit_accessevent TO {connection.ops.quote_name(app_role)}")
    with pytest.raises(DatabaseError, match="TRUNCATE refused"):
        _attempt(app_role, truncate)
    assert AccessEvent.objects.exists()


def test_the_app_role_cannot_update_or_delete_the_access_log(app_role) -> None:
    event = access_log_write(action=Action.VIEW, actor=NurseFactory())
    with pytest.raises(DatabaseError, match="permission denied"), acting_as(app_role):
        AccessEvent.objects.filter(pk=event.pk).update(part="tampered")
    purge = _statements(
        "SET LOCAL buurtzorg.audit_purge = 'on'",
        f"DELETE FROM audit_accessevent WHERE id = {event.pk}",
    )
    with pytest.raises(DatabaseError, match="permission denied"):
        _attempt(app_role, purge)
    event.refresh_from_db()
    assert event.part == ""


def test_the_app_role_keeps_the_access_log_partitions_but_cannot_alter_one(app_role) -> None:
    # given a missing month ahead and an expired month (made by the owner, as the migration)
    today = dt.datetime.now(dt.UTC).date()
    ahead = today.year * 12 + today.month - 1 + settings.AUDIT_LOG_PARTITIONS_AHEAD
    furthest = f"audit_accessevent_y{ahead // 12:04d}m{ahead % 12 + 1:02d}"
    _sql(f"ALTER TABLE audit_accessevent DETACH PARTITION {furthest}")
    _sql(f"DROP TABLE {furthest}")
    _sql("SELECT audit_accessevent_partition_make(%s)", [dt.date(today.year - 6, 1, 1)])
    expired = f"audit_accessevent_y{today.year - 6:04d}m01"
    event = access_log_write(action=Action.VIEW, actor=NurseFactory())
    # when beat's job runs as the app role (no owner connection)
    with acting_as(app_role):
        made, dropped = audit_partitions_maintain()
    # then
    assert made == [furthest]
    assert dropped == [expired]
    # and the app role may not change a partition directly, nor make or drop one itself
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM audit_accessevent WHERE id = %s", [event.pk]
        )
        partition = cursor.fetchone()[0]
    for sql in (
        f"UPDATE {partition} SET part = 'tampered'",  # noqa: S608
        f"DELETE FROM {partition}",  # noqa: S608
        f"DROP TABLE {partition}",
        f"SELECT audit_accessevent_partition_make('{today.year - 7}-01-01')",
    ):
        with pytest.raises(DatabaseError, match="permission denied|must be owner"):
            _attempt(app_role, _statements(sql))
    event.refresh_from_db()
    assert event.part == ""
    # (both the partitions the grant found and the one made since grant only these two)
    for table in (partition, furthest, "audit_accessevent_default"):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT privilege_type FROM information_schema.role_table_grants "
                "WHERE grantee = %s AND table_name = %s ORDER BY 1",
                [app_role, table],
            )
            assert [row[0] for row in cursor.fetchall()] == ["INSERT", "SELECT"], table


def test_the_app_role_cannot_rewrite_or_delete_change_history(app_role) -> None:
    # given a client whose change left a history row
    client_record = ClientFactory(last_name="Jansen")
    event = ClientEvent.objects.filter(pgh_obj_id=client_record.pk).get()
    # when / then
    with pytest.raises(DatabaseError, match="permission denied"), acting_as(app_role):
        ClientEvent.objects.filter(pk=event.pk).update(last_name="Someone else")
    with pytest.raises(DatabaseError, match="permission denied"), acting_as(app_role):
        ClientEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError, match="permission denied"), acting_as(app_role):
        _sql("TRUNCATE history_clientevent")
    event.refresh_from_db()
    assert event.last_name == "Jansen"


def test_the_app_still_works_as_the_app_role(app_role, access_world) -> None:
    # given a client of nurse A's team
    client_record = ClientFactory(team=access_world.team_a)
    # when: she opens and edits the record as the app role
    with acting_as(app_role):
        assert _current_user() == app_role
        record = client_record_open(actor=access_world.nurse_a, public_id=client_record.public_id)
        client_update(client=client_record, actor=access_world.nurse_a, phone="06-12345678")
    # then: the access rows and the history row were written as that role
    assert record.client.pk == client_record.pk
    assert AccessEvent.objects.filter(client_public_id=client_record.public_id).count() == 2
    assert ClientEvent.objects.filter(pgh_obj_id=client_record.pk, phone="06-12345678").exists()


def test_the_gdpr_erasure_deletes_history_through_its_function_as_the_app_role(app_role) -> None:
    # given a client discharged 21 years ago, with history
    client_record = ClientFactory(
        admitted_on=dt.date(2000, 1, 3),
        status=ClientStatus.DISCHARGED,
        discharged_on=dt.date(2001, 1, 3),
        discharge_reason="moved",
    )
    assert ClientEvent.objects.filter(pgh_obj_id=client_record.pk).exists()
    # when the nightly job erases it as the app role
    with acting_as(app_role):
        assert client_erase(client_id=client_record.pk) is True
    # then the old snapshots are gone
    assert not ClientEvent.objects.filter(pgh_obj_id=client_record.pk, bsn__isnull=False).exists()


# --- finalised runs ------------------------------------------------------------------------


@pytest.fixture
def finalised_run(billing_world, access_world) -> BillingRun:
    run = billing.billing_run_request(period=dt.date(2026, 3, 1), insurer=None, actor=None).run
    billing.billing_run_build(billing_run_id=run.pk)
    run.refresh_from_db()
    billing.billing_run_finalise(run=run, actor=access_world.back_office)
    run.refresh_from_db()
    assert run.status == RunStatus.FINALISED
    assert run.lines.exists()
    return run


@pytest.mark.parametrize("as_app_role", [False, True], ids=["owner", "app-role"])
def test_a_finalised_runs_lines_cannot_be_changed_added_or_deleted(
    finalised_run, app_role, as_app_role
) -> None:
    line = finalised_run.lines.first()
    role = app_role if as_app_role else None

    def attempt(action: Callable[[], object]) -> None:
        with pytest.raises(DatabaseError, match="finalised"):
            _attempt(role, action)

    attempt(lambda: InvoiceLine.objects.filter(pk=line.pk).update(amount=Decimal("1.00")))
    attempt(lambda: InvoiceLine.objects.filter(pk=line.pk).delete())
    attempt(lambda: finalised_run.files.all().delete())
    attempt(
        lambda: _sql(
            "INSERT INTO billing_invoiceline (created_at, updated_at, run_id, insurer_id,"
            " client_id, line_number, bsn, policy_number, client_name, date_of_birth, service_id,"
            " service_code, period, kind, minutes, units, hourly_rate, amount, visit_ids)"
            " SELECT now(), now(), run_id, insurer_id, client_id, 999, bsn, policy_number,"
            " client_name, date_of_birth, service_id, service_code, period, 'credit', -5, -1,"
            " hourly_rate, -1, '[]' FROM billing_invoiceline WHERE id = %s",
            [line.pk],
        )
    )
    line.refresh_from_db()
    assert finalised_run.lines.count() == finalised_run.line_count
    assert line.amount > 0


@pytest.mark.parametrize("as_app_role", [False, True], ids=["owner", "app-role"])
def test_a_finalised_run_cannot_be_unfinalised_or_deleted(
    finalised_run, app_role, as_app_role
) -> None:
    role = app_role if as_app_role else None

    def attempt(sql: str) -> None:
        with pytest.raises(DatabaseError, match="finalised and read-only"):
            _attempt(role, lambda: _sql(sql, [finalised_run.pk]))

    attempt(
        "UPDATE billing_billingrun SET status = 'draft', finalised_at = NULL,"
        " finalised_by_id = NULL WHERE id = %s"
    )
    attempt("UPDATE billing_billingrun SET total_amount = 0 WHERE id = %s")
    attempt("DELETE FROM billing_billingrun WHERE id = %s")
    finalised_run.refresh_from_db()
    assert finalised_run.status == RunStatus.FINALISED


def test_a_finalised_run_still_keeps_a_new_preflight_check(finalised_run, app_role) -> None:
    with acting_as(app_role):
        billing.billing_run_check(billing_run_id=finalised_run.pk)
    finalised_run.refresh_from_db()
    assert finalised_run.preflight_at is not None


def test_erasure_past_fiscal_retention_may_still_blank_a_finalised_line(finalised_run) -> None:
    # the one change allowed: personal fields blanked, nothing else
    line = finalised_run.lines.first()
    InvoiceLine.objects.filter(pk=line.pk).update(
        bsn="", policy_number="", date_of_birth=None, client_name="[erased]"
    )
    line.refresh_from_db()
    assert line.bsn == ""
    with pytest.raises(DatabaseError, match="finalised"), transaction.atomic():
        InvoiceLine.objects.filter(pk=line.pk).update(
            bsn="", policy_number="", date_of_birth=None, units=0, amount=0
        )


# --- migrate as the owner, run as the app role (a fresh database) ----------------------------


def _url(user: str, database: str) -> str:
    s = connection.settings_dict
    return f"postgres://{user}@{s['HOST']}:{s['PORT'] or 5432}/{database}"


def test_migrate_runs_as_the_owner_and_grants_the_app_role_only_what_it_needs() -> None:
    # given a fresh database owned by a plain owner role, and a plain app role
    suffix = uuid.uuid4().hex[:8]
    database, owner, app = f"bz_roles_{suffix}", f"bz_owner_{suffix}", f"bz_app_{suffix}"
    superuser = connection.settings_dict["USER"]
    with psycopg.connect(_url(superuser, "postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE ROLE "{owner}" LOGIN')
        admin.execute(f'CREATE ROLE "{app}" LOGIN')
        admin.execute(f'CREATE DATABASE "{database}" OWNER "{owner}"')
    try:
        # when: migrate with DATABASE_URL as the app role and DATABASE_OWNER_URL as the owner
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "buurtzorg.settings.base",
            "DEBUG": "true",
            "DATABASE_URL": _url(app, database),
            "DATABASE_OWNER_URL": _url(owner, database),
            "REDIS_URL": "",
        }
        result = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v1"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        assert f"Granted the app role {app}" in result.stdout
        # then: the owner owns every table; the app role owns nothing
        with psycopg.connect(_url(app, database), autocommit=True) as conn:
            owners = {
                row[0]
                for row in conn.execute(
                    "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"
                )
            }
            assert owners == {owner}
            # it appends to the access log and reads it back
            conn.execute(
                "INSERT INTO audit_accessevent (occurred_at, username, role, action, part,"
                " detail, request_id, path) VALUES (now(), 'n', 'nurse', 'view', '', '',"
                " gen_random_uuid(), '/')"
            )
            assert conn.execute("SELECT count(*) FROM audit_accessevent").fetchone()[0] == 1
            # and can neither rewrite it, switch off its trigger, truncate it nor make tables
            refused = {
                "UPDATE audit_accessevent SET part = 'x'": "permission denied",
                "DELETE FROM history_clientevent": "permission denied",
                "TRUNCATE audit_accessevent": "permission denied",
                "ALTER TABLE audit_accessevent DISABLE TRIGGER ALL": "must be owner",
                "ALTER TABLE billing_billingrun DISABLE TRIGGER ALL": "must be owner",
                "CREATE TABLE sneaky (id int)": "permission denied",
            }
            for sql, message in refused.items():
                with pytest.raises(psycopg.Error, match=message):
                    conn.execute(sql)
    finally:
        with psycopg.connect(_url(superuser, "postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            admin.execute(f'DROP ROLE IF EXISTS "{app}"')
            admin.execute(f'DROP ROLE IF EXISTS "{owner}"')


def test_compose_runs_the_app_as_its_own_role_and_only_migrate_as_the_owner() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    for name in ("web", "worker", "beat"):
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://buurtzorg_app:${"), name
        assert "DATABASE_OWNER_URL" not in environment, name
    assert services["migrate"]["environment"]["DATABASE_OWNER_URL"].startswith(
        "postgres://buurtzorg_owner:${"
    )
    # no password written into the file; the roles come from the init script
    assert services["db"]["environment"]["POSTGRES_PASSWORD"].startswith("${")
    assert "./docker/postgres/init:/docker-entrypoint-initdb.d:ro" in services["db"]["volumes"]
    init = (ROOT / "docker/postgres/init/10-roles.sh").read_text()
    assert "CREATE ROLE buurtzorg_app LOGIN NOSUPERUSER" in init
