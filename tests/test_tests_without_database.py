"""Tests that need no database run without one: selecting only those neither creates the test
database nor touches the one DATABASE_URL names (the migration data is seeded only once a
selected test has set the test database up, see tests/conftest.py)."""

import os
import subprocess
import sys

from tests.conftest import ROOT

ABSENT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bz_this_database_does_not_exist"


def test_a_plain_test_needs_no_database() -> None:
    """What the next test runs alone: it asks for no database."""
    assert sum([1, 2]) == 3


def test_tests_without_the_database_run_where_there_is_none() -> None:
    # given: a DATABASE_URL whose database does not exist (as on a machine without PostgreSQL)
    env = {**os.environ, "DATABASE_URL": ABSENT_DATABASE_URL}
    # when: pytest runs only a test that uses no database
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:randomly",
            f"{__file__}::test_a_plain_test_needs_no_database",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # then: it passes; nothing tried to connect at set-up
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "1 passed" in done.stdout
