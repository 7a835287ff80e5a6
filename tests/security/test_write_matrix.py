"""The permission matrix for writes: PUT, PATCH, DELETE and POST on every API route, for every
role, with a payload the API itself gave (issue 20, "what the own suite missed").

The main matrix asks each route one method (GET, or POST for actions). Here every API route is
also sent the other write methods. The expectation per role comes from the route's row in
tests/security/access_table.py: a role that may not read the object (the row says 403 or 404
for it) may not write it either, so it must get 401, 403, 404 or 405, and whatever the answer,
a refused write stores nothing. The payload is the route's own GET answer as read by a role
that may read it (so an update serializer gets a valid body, and a refusal cannot hide behind
a validation error). "Stores nothing" is read from PostgreSQL's per-transaction counters
(pg_stat_xact_user_tables: rows inserted, updated, deleted) around each request; session and
lockout bookkeeping are left out.

Every request runs in a savepoint that is rolled back, so a write that is allowed (a nurse
updating her own team's shift) changes nothing for the next request.

The second half sends each API write route a VALID payload (tests/security/write_payloads.py)
as every role: the roles that may write succeed and the change is read back from PostgreSQL;
every other role, with the very same body, is refused and stores nothing. A completeness test
holds the table to every write method the URL resolver and the OpenAPI schema know.

One world serves the whole module (made once, in a transaction rolled back at the end): every
object a URL or payload needs is built before the first request, so nothing a test makes in its
own rolled-back transaction can be left cached on the world for the next.
"""

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import Max
from django.http import HttpResponse
from django.test import Client
from django.urls import get_resolver, reverse
from drf_spectacular.generators import SchemaGenerator

from buurtzorg.audit.models import AccessEvent
from scheduling.models import Visit
from tests.security.access_table import ROWS
from tests.security.routes import all_routes
from tests.security.test_nurse_moved_matrix import _move as move_nurse_to_team_b
from tests.security.world import ROLES, World
from tests.security.write_payloads import NO_VALID_WRITE, WRITES, Write

pytestmark = pytest.mark.django_db

WRITE_METHODS = ("put", "patch", "delete", "post")
REFUSED = {401, 403, 404, 405}
READERS = ("nurse_a", "coach_a", "back_office", "admin")
# Bookkeeping that any request may write: the session's last-seen time, django-axes.
_TABLES = """
    SELECT relid FROM pg_stat_user_tables
    WHERE relname <> 'django_session' AND relname NOT LIKE 'axes\\_%'
"""
_WRITTEN = """
    SELECT coalesce(sum(
        pg_stat_get_xact_tuples_inserted(t)
        + pg_stat_get_xact_tuples_updated(t)
        + pg_stat_get_xact_tuples_deleted(t)
    ), 0)
    FROM unnest(%s::oid[]) AS t
"""


class WriteCounter:
    """Rows inserted, updated or deleted so far in this transaction, over every table of the
    app (bookkeeping aside). The tables are listed once when it is made, per test or module (a
    migration test elsewhere may have made them anew); each count then reads the per-table
    counters directly, some 30 times cheaper than the statistics view, which matters at two
    counts per request."""

    def __init__(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(_TABLES)
            self.tables = [row[0] for row in cursor.fetchall()]

    def __call__(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(_WRITTEN, [self.tables])
            return int(cursor.fetchone()[0])


def _clients(world: World) -> dict[str, Client]:
    clients = {}
    for role in ROLES:
        http = Client()
        user = world.user(role)
        if user is not None:
            http.force_login(user)
        clients[role] = http
    return clients


def _payload(clients: dict[str, Client], name: str, url: str) -> str:
    """The route's own GET answer, as the first role that may read it sees it (or {})."""
    row = ROWS[name]
    for role in READERS:
        if row.method != "get" or 200 not in row.expected(role):
            continue
        with transaction.atomic():
            response = clients[role].get(url, row.data or {})
            transaction.set_rollback(True)
        if response.status_code == 200 and response.get("Content-Type", "").startswith(
            "application/json"
        ):
            body = response.json()
            return json.dumps(body["results"][0] if _is_page(body) else body)
    return "{}"


def _is_page(body: object) -> bool:
    return isinstance(body, dict) and isinstance(body.get("results"), list) and body["results"]


def _may_not_read(name: str, role: str) -> bool:
    row = ROWS[name]
    return row.method == "get" and all(code in (403, 404) for code in row.expected(role))


@dataclass
class Prepared:
    """The module's world, a signed-in HTTP client per role, and every write's URL and body."""

    world: World
    clients: dict[str, Client]
    urls: dict[str, str]
    bodies: dict[str, dict[str, Any]]
    built: frozenset[str]
    rows_written: WriteCounter


def _api_rows() -> list[str]:
    return [
        name
        for name, route, _ in all_routes()
        if route.startswith("/api/") and name in ROWS and ROWS[name].kwargs
    ]


@pytest.fixture(scope="module")
def prepared(django_db_setup: None, django_db_blocker: Any) -> Iterator[Prepared]:
    """Built once in a transaction that stays open for the module and is rolled back after
    it; each test's own transaction is a savepoint inside it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = World()
            for name in _api_rows():  # every team-A object the API routes' URLs name
                ROWS[name].kwargs(world)
            urls, bodies = {}, {}
            for write in WRITES:
                urls[write.key] = reverse(write.route, kwargs=write.url_kwargs(world))
                bodies[write.key] = write.payload(world)
            for write in WRITES:  # (a payload builder may need what a later kwargs made)
                write.effect(world, "nurse_a", None)
            prepared = Prepared(
                world, _clients(world), urls, bodies, frozenset(world.__dict__), WriteCounter()
            )
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield prepared
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def world(prepared: Prepared) -> Iterator[World]:
    yield prepared.world
    made = set(prepared.world.__dict__) - prepared.built
    assert not made, f"built during a test (add them to the module's preparation): {made}"


def test_refused_writes_on_every_api_route_store_nothing(prepared: Prepared, world: World) -> None:
    clients, _rows_written = prepared.clients, prepared.rows_written
    failures, table, tried = [], [], 0
    api_routes = [(name, route) for name, route, _ in all_routes() if route.startswith("/api/")]
    for name, _route in api_routes:
        row = ROWS.get(name)
        if row is None or name in ("api-schema", "api-docs", "api-token"):
            continue  # (no row: the main matrix reports it; schema and login: no object)
        url = reverse(name, kwargs=row.kwargs(world) if row.kwargs else None)
        payload = _payload(clients, name, url)
        line = []
        for role in ROLES:
            for method in WRITE_METHODS:
                if method == row.method:
                    continue  # the main matrix asks this one
                with transaction.atomic():
                    before = _rows_written()
                    response = clients[role].generic(
                        method.upper(), url, payload, content_type="application/json"
                    )
                    written = _rows_written() - before
                    transaction.set_rollback(True)
                tried += 1
                status = response.status_code
                line.append(f"{method[:2]}:{status}" + (f"/w{written}" if written else ""))
                where = f"{name} {method.upper()} {url} as {role}"
                if status >= 500:
                    failures.append(f"{where}: {status}")
                elif _may_not_read(name, role) and status not in REFUSED:
                    failures.append(f"{where}: {status}, but the table refuses {role} this route")
                elif status >= 400 and written:
                    failures.append(f"{where}: refused with {status} yet wrote {written} rows")
        table.append(f"{name:36} " + " ".join(line))
    if os.environ.get("MATRIX_PRINT"):
        print("\n".join(table))  # noqa: T201
    print(f"write matrix: {tried} requests on {len(table)} API routes")  # noqa: T201
    assert len(table) > 25
    assert not failures, "\n".join(failures)


# --- valid payloads: the allowed role's write happens, every other role's is refused ---------


@dataclass(frozen=True)
class Sent:
    response: HttpResponse
    written: int  # rows inserted, updated or deleted (session and lockout bookkeeping aside)
    logged: int  # access-log rows
    seen: bool  # the entry's effect is in the database
    answer: object  # the JSON body, if any


def _send(prepared: Prepared, write: Write, role: str) -> Sent:
    """One request in a savepoint that is rolled back."""
    http = prepared.clients[role]
    url = prepared.urls[write.key]
    with transaction.atomic():
        last = AccessEvent.objects.aggregate(last=Max("pk"))["last"] or 0
        before = prepared.rows_written()
        if write.multipart:  # a fresh file each time: an upload is read once
            response = http.post(url, write.payload(prepared.world))
        else:
            body = json.dumps(prepared.bodies[write.key])
            response = http.generic(
                write.method.upper(), url, body, content_type="application/json"
            )
        written = prepared.rows_written() - before
        logged = AccessEvent.objects.filter(pk__gt=last).count()
        answer = None
        if response.get("Content-Type", "").startswith("application/json") and response.content:
            answer = response.json()
        seen = write.effect(prepared.world, role, answer)
        transaction.set_rollback(True)
    return Sent(response, written, logged, seen, answer)


CASES = [
    pytest.param(write, role, id=f"{write.route}-{write.method}-{role}")
    for write in WRITES
    for role in ROLES
]


@pytest.mark.parametrize(("write", "role"), CASES)
def test_a_valid_write_succeeds_only_for_the_roles_allowed(
    prepared: Prepared, world: World, write: Write, role: str
) -> None:
    # given a body that is valid for team A's object
    # when this role sends it
    sent = _send(prepared, write, role)
    # then the allowed roles' write is stored (and a change of client data logged once), and
    # every other role's is refused and stores nothing, not even an access row
    status = sent.response.status_code
    where = f"{write.key} as {role}: {status} {sent.response.content[:300]!r}"
    if role in write.roles_allowed():
        assert status in write.success, where
        assert sent.written > 0, f"{where}: answered {status} but wrote no row"
        assert sent.seen, f"{where}: answered {status} but the change is not in the database"
        expected = 1 if write.is_audited() else 0
        assert sent.logged == expected, f"{where}: {sent.logged} access rows, not {expected}"
    else:
        assert status in write.refusals(), where
        if status == 400:
            assert write.refused_at_field(sent.answer), f"{where}: a 400 not at {write.in_body}"
        assert sent.written == 0, f"{where}: refused yet wrote {sent.written} rows"
        assert not sent.seen, f"{where}: refused, yet the change is in the database"


def test_every_valid_write_is_allowed_to_some_role() -> None:
    assert all(write.roles_allowed() for write in WRITES), [
        write.key for write in WRITES if not write.roles_allowed()
    ]


WRITE_VERBS = ("post", "put", "patch", "delete")


def _resolver_writes() -> set[str]:
    """ "<url name> <METHOD>" for every write method an API view answers (its handler)."""
    found = set()
    for name, route, _ in all_routes():
        if not route.startswith("/api/"):
            continue
        match = get_resolver().resolve(reverse(name, kwargs=_dummy_kwargs(name)))
        view_class = getattr(match.func, "cls", None) or getattr(match.func, "view_class", None)
        for verb in WRITE_VERBS:
            if view_class is not None and hasattr(view_class, verb):
                found.add(f"{name} {verb.upper()}")
    return found


def _dummy_kwargs(name: str) -> dict[str, str] | None:
    """A value for each of the route's kwargs: a UUID, or 1 where the route takes <int:...>."""
    route, pattern = next((r, p) for n, r, p in all_routes() if n == name)
    return {
        kwarg: "1" if f"<int:{kwarg}>" in route else "00000000-0000-0000-0000-000000000000"
        for kwarg in pattern
    } or None


def _schema_writes() -> set[str]:
    """ "<url name> <METHOD>" for every write operation in the OpenAPI schema."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    by_path = {}
    for name, route, kwargs in all_routes():
        path = route
        for kwarg in kwargs:
            path = path.replace(f"<uuid:{kwarg}>", f"{{{kwarg}}}")
            path = path.replace(f"<int:{kwarg}>", f"{{{kwarg}}}")
        by_path[path] = name
    found = set()
    for path, operations in schema["paths"].items():
        for verb in operations:
            if verb in WRITE_VERBS:
                found.add(f"{by_path[path]} {verb.upper()}")
    return found


def test_every_api_write_route_has_a_valid_payload_or_a_reason() -> None:
    listed = {write.key for write in WRITES} | set(NO_VALID_WRITE)
    resolver, schema = _resolver_writes(), _schema_writes()
    assert schema <= resolver, f"in the schema but no view handles them: {schema - resolver}"
    missing = sorted((resolver | schema) - listed)
    stale = sorted(listed - resolver)
    assert not missing, (
        "API write routes without an entry in tests/security/write_payloads.py (add a valid "
        f"payload, or a reason to NO_VALID_WRITE): {missing}"
    )
    assert not stale, f"entries for write routes that no longer exist: {stale}"
    assert len({write.key for write in WRITES}) == len(WRITES), "one entry per route and method"


# --- the nurse who moved team (issue 20 item 4): every valid write answers her as nurse B ---

MOVED_CASES = [
    pytest.param(write, id=f"{write.route}-{write.method}")
    for write in WRITES
    if "nurse_a" in write.roles_allowed()
]


@pytest.mark.parametrize("write", MOVED_CASES)
def test_a_nurse_who_moved_team_gets_what_nurse_b_gets_with_the_same_valid_body(
    prepared: Prepared, world: World, write: Write
) -> None:
    # given nurse A has moved to team B, and team A's visits made while she was there still
    # name her (the hole of item 4)
    move_nurse_to_team_b(world)
    Visit.objects.filter(pk__in=[world.visit_a.pk, *_past_visits(world)]).update(
        nurse=world.nurse_a
    )
    # when she sends the body that was valid for her in team A
    sent = _send(prepared, write, "nurse_a")
    # then she gets what a nurse of team B gets: only her own team's things (a registration,
    # her handover marks) still work; team A's are refused and nothing is stored
    status = sent.response.status_code
    where = f"{write.key} as the moved nurse: {status} {sent.response.content[:300]!r}"
    if "nurse_b" in write.roles_allowed():
        assert status in write.success, where
        assert sent.seen, f"{where}: the change is not in the database"
    else:
        assert status in write.refusals(), where
        if status == 400:
            assert write.refused_at_field(sent.answer), f"{where}: a 400 not at {write.in_body}"
        assert sent.written == 0, f"{where}: refused yet wrote {sent.written} rows"
        assert not sent.seen, f"{where}: refused, yet the change is in the database"


def _past_visits(world: World) -> list[int]:
    """The matrix's other visits of nurse A (her dose round), by key, if it made them."""
    visit = world.__dict__.get("dose_visit")
    return [visit.pk] if visit is not None else []


# --- malformed ids in valid bodies: 400 at the field, never a 500 (issue 20, item 11) -----

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
MALFORMED = ("not-an-id", "12", "1; DROP TABLE x", "\u00e9\u00e9n")


def _names_ids(value: object) -> bool:
    """The field's valid value is an id, a list of ids, or a list of objects naming ids."""
    if isinstance(value, str):
        return bool(UUID_RE.match(value))
    if isinstance(value, list) and value:
        return all(_names_ids(item) for item in value) or all(
            isinstance(item, dict) and any(_names_ids(v) for v in item.values()) for item in value
        )
    return False


def _malformed(value: object, bad: str) -> object:
    """The same shape as the valid value, every id in it replaced by `bad`."""
    if isinstance(value, str):
        return bad
    if isinstance(value, list):
        return [
            {k: bad if _names_ids(v) else v for k, v in item.items()}
            if isinstance(item, dict)
            else bad
            for item in value
        ]
    return bad


def test_a_malformed_id_in_a_valid_body_is_400_at_its_field_on_every_api_write(
    prepared: Prepared, world: World
) -> None:
    # given each write's valid body, sent by a role that may write it
    wrong, tried = [], 0
    for write in WRITES:
        body = prepared.bodies[write.key]
        if write.multipart or not body:
            continue
        http = prepared.clients[write.roles_allowed()[0]]
        url = prepared.urls[write.key]
        for field, value in body.items():
            for bad in MALFORMED:
                # when one field's id (or any other value) is replaced by a malformed one
                sent = {**body, field: _malformed(value, bad)}
                with transaction.atomic():
                    before = prepared.rows_written()
                    response = http.generic(
                        write.method.upper(), url, json.dumps(sent), "application/json"
                    )
                    written = prepared.rows_written() - before
                    transaction.set_rollback(True)
                tried += 1
                status = response.status_code
                where = f"{write.key} {field}={bad!r}: {status} {response.content[:200]!r}"
                # then never a 500; an id field is refused at that field and nothing stored
                if status >= 500:
                    wrong.append(where)
                elif _names_ids(value):
                    answer = response.json() if status == 400 else None
                    if not (isinstance(answer, dict) and field in answer) or written:
                        wrong.append(f"{where} (wrote {written})")
    assert tried > 100
    assert not wrong, "\n".join(wrong)
