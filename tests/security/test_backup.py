"""`make backup` then `make restore` into a fresh database gives the same rows; the backup file
is encrypted (age, key from BACKUP_KEY) and a wrong key restores nothing (issue 21, item 6)."""

import os
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from buurtzorg.backup import WRONG_KEY
from tests.factories import ClientFactory, VisitFactory

ROOT = Path(__file__).resolve().parents[2]


def _keygen() -> dict[str, str]:
    result = subprocess.run(
        [".venv/bin/python", "-m", "buurtzorg.backup", "keygen"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(line.split("=", 1) for line in result.stdout.splitlines())


def _make(target: str, url: str, backup: Path, key: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKUP_")}
    return subprocess.run(
        ["make", "-s", target, f"DATABASE_URL={url}", f"BACKUP_FILE={backup}"],
        cwd=ROOT,
        env={**env, "BACKUP_KEY": key},
        capture_output=True,
        text=True,
        timeout=300,
    )


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
    backup = tmp_path / "test.dump.age"
    key = _keygen()["BACKUP_KEY"]
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{fresh}"')
    try:
        # when
        for target, url in (("backup", source), ("restore", _url(fresh))):
            result = _make(target, url, backup, key)
            assert result.returncode == 0, result.stdout + result.stderr
        # then
        before, after = _row_counts(source), _row_counts(_url(fresh))
        assert before == after
        assert before["clients_client"] >= 1
        assert sum(before.values()) > 100  # the Omaha vocabulary and more
    finally:
        with psycopg.connect(_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_backup_is_not_readable_and_a_wrong_key_restores_nothing(tmp_path: Path) -> None:
    # given a committed client with a name to look for
    record = ClientFactory(last_name="Zeldzaamnaam")
    source = _url(connection.settings_dict["NAME"])
    backup = tmp_path / "test.dump.age"
    key, other_key = _keygen()["BACKUP_KEY"], _keygen()["BACKUP_KEY"]
    # when
    result = _make("backup", source, backup, key)
    # then the file is age ciphertext: no pg_dump header, no table, no name, no BSN
    assert result.returncode == 0, result.stdout + result.stderr
    data = backup.read_bytes()
    assert data.startswith(b"age-encryption.org/v1\n")
    for plain in (b"PGDMP", b"clients_client", b"Zeldzaamnaam", record.bsn.encode()):
        assert plain not in data
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    assert list(tmp_path.iterdir()) == [backup]  # nothing left in plaintext beside it
    # and with another key, restore fails and writes nothing
    fresh = f"bz_restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{fresh}"')
    try:
        result = _make("restore", _url(fresh), backup, other_key)
        assert result.returncode != 0
        assert str(WRONG_KEY) in result.stderr
        assert _row_counts(_url(fresh)) == {}
    finally:
        with psycopg.connect(_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')


def test_backup_without_a_key_refuses(tmp_path: Path) -> None:
    result = _make("backup", "postgres://nobody@127.0.0.1:1/none", tmp_path / "x.age", "")
    assert result.returncode != 0
    assert "Set BACKUP_KEY or BACKUP_RECIPIENT" in result.stderr
    assert not list(tmp_path.iterdir())
