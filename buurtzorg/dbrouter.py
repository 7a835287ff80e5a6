"""Heavy read-only work on a PostgreSQL streaming replica (issue 22, item 3).

With `DATABASE_REPLICA_URL` set, settings add the `replica` database alias and install
`ReplicaRouter`. Nothing is routed there by default: a selector that does heavy read-only work
(outcome reports, the coach dashboards' figures, the billing pre-flight, exports) says so with

    with replica_reads():
        ...                      # its reads go to the replica, its writes to the primary

or, for a queryset evaluated after the block (a streamed download), `.using(read_alias())`.
Every write goes to the primary, whatever read it: the access row of a replica read too.

Read-your-writes. A person who has just written must see it: `ReadYourWritesMiddleware` notes a
write (any non-safe request, or a write statement a service sends during a GET) as a cache
timestamp for that user, and for READ_YOUR_WRITES_SECONDS her reads stay on the primary. A
background job (`replica_reads(caught_up=True)`) has no user: it asks the primary for its WAL
position and reads the replica only once the replica has replayed that far (waiting at most
REPLICA_CATCH_UP_SECONDS), so it sees everything committed before it started, else it reads
the primary. A replica that cannot be reached is the same as one that lags: the primary.

A block never reads what its own open transaction wrote (the replica cannot see it); the
selectors that use it read before they write. Without `DATABASE_REPLICA_URL` every helper
answers "default" and nothing changes.
"""

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

REPLICA = "replica"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "MERGE")
# Writes that every request makes and that no later read depends on: the access row each read
# writes, the session's expiry moved on. They do not pin a reader to the primary.
UNPINNED_TABLES = ("audit_accessevent", "django_session")


@dataclass
class _Request:
    """The request being served (set by the middleware): whose reads, and whether it wrote."""

    request: HttpRequest
    wrote: bool


_request: ContextVar[_Request | None] = ContextVar("dbrouter_request", default=None)
_read_alias: ContextVar[str | None] = ContextVar("dbrouter_read_alias", default=None)


def replica_configured() -> bool:
    """Whether a replica alias exists (DATABASE_REPLICA_URL set)."""
    return REPLICA in connections.settings


def _pin_key(user_id: object) -> str:
    return f"dbrouter:primary-until:{user_id}"


def _user_id(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None


def pin_to_primary(*, user_id: object) -> None:
    """Send `user_id`'s replica reads to the primary for READ_YOUR_WRITES_SECONDS from now."""
    seconds = settings.READ_YOUR_WRITES_SECONDS
    if seconds > 0:
        cache.set(_pin_key(user_id), time.time() + seconds, timeout=seconds)


def pinned_to_primary(*, user_id: object) -> bool:
    until = cache.get(_pin_key(user_id))
    return until is not None and until > time.time()


def _replica_has_caught_up(timeout: float) -> bool:
    """Whether the replica has replayed the primary's WAL as of now (waits up to `timeout`).

    A replica that is not in recovery (a test mirror, a promoted standby) has all it can have.
    """
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        (position,) = cursor.fetchone()
    deadline = time.monotonic() + timeout
    while True:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= %s::pg_lsn",
                [position],
            )
            if cursor.fetchone()[0]:
                return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)


def read_alias(*, caught_up: bool = False) -> str:
    """The alias for heavy read-only work now: the replica, unless this user has just written
    (or this request writes), or the replica cannot be reached, or, with `caught_up`, it is
    behind the primary (after waiting up to REPLICA_CATCH_UP_SECONDS)."""
    if not replica_configured():
        return DEFAULT_DB_ALIAS
    current = _request.get()
    if current is not None:
        user_id = _user_id(current.request)
        if current.wrote or (user_id is not None and pinned_to_primary(user_id=user_id)):
            return DEFAULT_DB_ALIAS
    try:
        connections[REPLICA].ensure_connection()  # a no-op while its connection is open
        if caught_up and not _replica_has_caught_up(settings.REPLICA_CATCH_UP_SECONDS):
            logger.warning("Replica behind the primary: reading the primary instead")
            return DEFAULT_DB_ALIAS
    except DatabaseError:
        logger.warning("Replica unreachable: reading the primary instead", exc_info=True)
        connections[REPLICA].close()
        return DEFAULT_DB_ALIAS
    return REPLICA


@contextmanager
def replica_reads(*, caught_up: bool = False) -> Iterator[str]:
    """Within the block, reads go to `read_alias(caught_up=...)` (yielded); writes to the
    primary. `caught_up=True` for background jobs and exports, which must see every write
    committed before they started. Inside a block that chose the primary, it stays there."""
    outer = _read_alias.get()
    alias = DEFAULT_DB_ALIAS if outer == DEFAULT_DB_ALIAS else read_alias(caught_up=caught_up)
    token = _read_alias.set(alias)
    try:
        yield _read_alias.get() or DEFAULT_DB_ALIAS
    finally:
        _read_alias.reset(token)


class ReplicaRouter:
    """Reads inside `replica_reads()` go where it chose; every write goes to the primary."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        return _read_alias.get()

    def db_for_write(self, model: type, **hints: Any) -> str:
        # Also for a row that was read from the replica (Django would write it back there).
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, two copies

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPLICA else None  # a standby is read-only; it replays migrations


class _WriteWatcher:
    """A connection execute wrapper: notes a write statement of the request (not the access
    row or the session), so its later reads read the primary, and so do the user's reads of
    the next READ_YOUR_WRITES_SECONDS (the middleware pins her when the response is ready)."""

    def __init__(self, current: _Request) -> None:
        self.current = current

    def __call__(self, execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
        if not self.current.wrote and _is_pinning_write(sql):
            self.current.wrote = True
        return execute(sql, params, many, context)


def _is_pinning_write(sql: str) -> bool:
    head = sql.lstrip()[:80].upper()
    if not head.startswith(WRITE_VERBS):
        return False
    return not any(f'"{table.upper()}"' in head for table in UNPINNED_TABLES)


class ReadYourWritesMiddleware:
    """After a user writes, her replica reads go to the primary for READ_YOUR_WRITES_SECONDS.

    A request writes when its method is not safe, or when a write statement (other than the
    access row and the session) goes to the primary while it is served. The timestamp is kept
    in the cache per user, so all her devices and all web processes see it. Does nothing
    without a replica. Placed after authentication; `request.user` is read only when needed
    (an API token's user is known only once DRF has authenticated the request).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_configured():
            return self.get_response(request)
        current = _Request(request=request, wrote=request.method not in SAFE_METHODS)
        # who writes: the user after the view (a login sets her), else the one before (logout)
        before = _user_id(request) if current.wrote else None
        token = _request.set(current)
        try:
            with connections[DEFAULT_DB_ALIAS].execute_wrapper(_WriteWatcher(current)):
                response = self.get_response(request)
        finally:
            _request.reset(token)
        if current.wrote:
            user_id = _user_id(request) or before
            if user_id is not None:
                pin_to_primary(user_id=user_id)
        return response
