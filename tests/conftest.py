"""Shared fixtures. Tests run on the real PostgreSQL and Redis (see Makefile: make test)."""

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from teams.models import Team, User
from tests.factories import (
    AdminFactory,
    BackOfficeFactory,
    CoachAssignmentFactory,
    CoachFactory,
    MembershipFactory,
    TeamFactory,
)

ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    """Refuse to run on anything but PostgreSQL: the constraints under test need it."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        raise pytest.UsageError(f"Tests need PostgreSQL (DATABASE_URL); got {engine}")


@dataclass
class AccessWorld:
    """Two teams with a nurse and a coach each, plus back office and an administrator."""

    team_a: Team
    team_b: Team
    nurse_a: User
    nurse_b: User
    coach_a: User
    coach_b: User
    back_office: User
    admin: User


@pytest.fixture
def access_world(db: None) -> AccessWorld:
    team_a, team_b = TeamFactory(name="Team A"), TeamFactory(name="Team B")
    nurse_a = MembershipFactory(team=team_a, seat=1).nurse
    nurse_b = MembershipFactory(team=team_b, seat=1).nurse
    coach_a = CoachAssignmentFactory(team=team_a, coach=CoachFactory()).coach
    coach_b = CoachAssignmentFactory(team=team_b, coach=CoachFactory()).coach
    return AccessWorld(
        team_a=team_a,
        team_b=team_b,
        nurse_a=nurse_a,
        nurse_b=nurse_b,
        coach_a=coach_a,
        coach_b=coach_b,
        back_office=BackOfficeFactory(),
        admin=AdminFactory(),
    )


@pytest.fixture
def admin_user(db: None) -> User:
    return AdminFactory()


def _test_database_url() -> str:
    db = settings.DATABASES["default"]
    name = connection.settings_dict["NAME"]
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


@pytest.fixture
def celery_worker_process(transactional_db: None) -> Iterator[subprocess.Popen]:
    """A real `celery worker` process on the test Redis, using the test database.

    The test must use committed data (transactional_db), because the worker has its own
    database connection.
    """
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "buurtzorg.settings.base",
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "DEBUG": "true",
        "CONN_MAX_AGE": "0",
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "buurtzorg",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--loglevel=INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    # Wait until the worker reports ready, so tests do not race its start-up.
    deadline = time.monotonic() + 60
    lines = []
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        lines.append(line)
        if "ready." in line:
            break
        if proc.poll() is not None:
            pytest.fail("Celery worker exited early:\n" + "".join(lines))
    else:
        proc.kill()
        pytest.fail("Celery worker did not become ready:\n" + "".join(lines))
    # Keep draining the worker's output so a full pipe never blocks it; tests can read it.
    proc.log_lines = lines  # type: ignore[attr-defined]
    threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True).start()
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
