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
from django.utils import translation
from pytest_django.plugin import blocking_manager_key

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


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """pytest-randomly shuffles the order every run; print the seed even under -q, so a failure
    that depends on the order can be repeated with `--randomly-seed=N`."""
    seed = getattr(terminalreporter.config.option, "randomly_seed", None)
    if seed is not None:
        terminalreporter.write_line(f"Random order: --randomly-seed={seed}")


# --- data the migrations seed -------------------------------------------------------------
# The data migrations load the Omaha vocabulary and the organisation channel. A transactional
# test (transaction=True, live_server, a real Celery worker) ends with a flush that empties
# every table, so without this the tests after it, and the next run on a reused database
# (--reuse-db, which does not migrate again), would find them missing.


def _restore_migration_data() -> None:
    """Idempotent: loads only what is missing."""
    from coaching.services import organisation_space  # noqa: PLC0415 - needs Django set up
    from omaha.vocabulary import ensure_vocabulary  # noqa: PLC0415

    ensure_vocabulary()
    organisation_space()


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    fixtures = getattr(item, "fixturenames", ())
    return "transactional_db" in fixtures or "live_server" in fixtures


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker) -> None:  # noqa: ANN001
    """A reused database may come from a run whose last test was transactional: seed once the
    test database is set up. pytest-django's own `django_db_setup` (which this extends) runs only
    when a selected test uses the database, so a run of tests that need none neither creates
    the test database nor connects to the one in DATABASE_URL (an autouse fixture here would
    have written the vocabulary into that database, or failed where it does not exist)."""
    with django_db_blocker.unblock():
        _restore_migration_data()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> object:
    """After a transactional test's flush, seed again for the tests that follow. (After the
    last test the session fixtures are gone, and the next run's `django_db_setup` does it.)"""
    result = yield
    if nextitem is not None and _is_transactional(item):
        with item.config.stash[blocking_manager_key].unblock():
            _restore_migration_data()
    return result


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


def _start_celery_worker(*options: str) -> subprocess.Popen:
    """Start a real `celery worker` on the test Redis and test database; wait until ready.

    `options` are added to the command line (e.g. "-Q", "batch"). The worker's output is
    drained into `proc.log_lines`, so a full pipe never blocks it and tests can read it.
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
            *options,
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
    proc.log_lines = lines  # type: ignore[attr-defined]
    threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True).start()
    return proc


def _stop_celery_worker(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def celery_worker_process(transactional_db: None) -> Iterator[subprocess.Popen]:
    """A real `celery worker` process on the test Redis, using the test database.

    The test must use committed data (transactional_db), because the worker has its own
    database connection. Without -Q it consumes both queues (default and batch).
    """
    proc = _start_celery_worker()
    yield proc
    _stop_celery_worker(proc)


@pytest.fixture
def celery_queue_workers(transactional_db: None) -> Iterator[dict[str, subprocess.Popen]]:
    """One real worker per queue, as docker-compose runs them: {"default": …, "batch": …}."""
    workers: dict[str, subprocess.Popen] = {}
    try:
        for queue in ("default", "batch"):
            workers[queue] = _start_celery_worker("-Q", queue, "-n", f"{queue}@%h")
        yield workers
    finally:
        for proc in workers.values():
            _stop_celery_worker(proc)


@pytest.fixture(autouse=True)
def _test_language() -> Iterator[None]:
    """Every test starts in the test settings' language (English) and leaves none behind.

    A request in Dutch (LocaleMiddleware, a user's own language) activates it for the thread
    and leaves it there; since the services' messages are translated when read, the next test
    would otherwise see Dutch texts in whatever order pytest-randomly runs them."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
