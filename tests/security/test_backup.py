"""`make backup` then `make restore` into a fresh database gives the same rows."""

import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.factories import ClientFactory, VisitFactory

ROOT = Path(__file__).resolve().parents[2]


def _url(name: str) -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST']}:{s['PORT'] or 5432}/{name}"


def _row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url, autocommit=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


@pytest.mark.django_db(transaction=True)
def test_restore_into_a_fresh_database_gives_the_same_row_counts(tmp_path: Path) -> None:
    # given some committed data
    VisitFactory(client=ClientFactory())
    source = _url(connection.settings_dict["NAME"])
    fresh = f"bz_restore_{uuid.uuid4().hex[:8]}"
    backup = tmp_path / "test.dump"
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{fresh}"')
    try:
        # when
        for target, url in (("backup", source), ("restore", _url(fresh))):
            result = subprocess.run(
                ["make", "-s", target, f"DATABASE_URL={url}", f"BACKUP_FILE={backup}"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert result.returncode == 0, result.stdout + result.stderr
        # then
        before, after = _row_counts(source), _row_counts(_url(fresh))
        assert before == after
        assert before["clients_client"] >= 1
        assert sum(before.values()) > 100  # the Omaha vocabulary and more
    finally:
        with psycopg.connect(_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
