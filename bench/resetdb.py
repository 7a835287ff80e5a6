"""Drop and create the benchmark database (`python -m bench.resetdb URL`).

Refuses any database whose name does not contain "bench", so it cannot wipe a real one.

`python -m bench.resetdb --has-data URL` exits 0 when that database exists and holds generated
teams, 1 otherwise: the Makefile's `bench-data` asks the database itself whether there is data
to reuse. (It used to look for bench/data/generate.log, which lives in one checkout: a `make
loadtest` from another worktree of the same repository found no log and dropped the shared
national database that someone else had just generated.)
"""

import sys
from urllib.parse import urlparse

import psycopg


def main(url: str) -> None:
    parts = urlparse(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"Refusing to reset {name!r}: its name must contain 'bench'.")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    print(f"Database {name} created afresh.")


def has_data(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=10) as conn:
            row = conn.execute("SELECT to_regclass('teams_team') IS NOT NULL").fetchone()
            if not (row and row[0]):
                return False
            row = conn.execute("SELECT EXISTS (SELECT FROM teams_team)").fetchone()
            return bool(row and row[0])
    except psycopg.OperationalError:  # no such database
        return False


if __name__ == "__main__":
    if sys.argv[1] == "--has-data":
        sys.exit(0 if has_data(sys.argv[2]) else 1)
    main(sys.argv[1])
