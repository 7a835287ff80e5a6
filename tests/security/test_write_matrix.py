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
"""

import json
import os

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from tests.security.access_table import ROWS
from tests.security.routes import all_routes
from tests.security.world import ROLES, World

pytestmark = pytest.mark.django_db

WRITE_METHODS = ("put", "patch", "delete", "post")
REFUSED = {401, 403, 404, 405}
READERS = ("nurse_a", "coach_a", "back_office", "admin")
# Bookkeeping that any request may write: the session's last-seen time, django-axes.
_ROWS_WRITTEN = """
    SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)
    FROM pg_stat_xact_user_tables
    WHERE relname <> 'django_session' AND relname NOT LIKE 'axes\\_%'
"""


def _rows_written() -> int:
    with connection.cursor() as cursor:
        cursor.execute(_ROWS_WRITTEN)
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


def test_refused_writes_on_every_api_route_store_nothing() -> None:
    world = World()
    clients = _clients(world)
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
