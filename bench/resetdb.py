"""Drop and create the benchmark database (`python -m bench.resetdb URL`).

Refuses any database whose name does not contain "bench", so it cannot wipe a real one.
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


if __name__ == "__main__":
    main(sys.argv[1])
