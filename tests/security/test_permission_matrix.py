"""The permission matrix: every route in the URL configuration, for every role.

Routes come from `get_resolver()` (tests/security/routes.py), never from a hand-made list,
so a new route without a row in tests/security/access_table.py fails here. Each request runs
in a savepoint that is rolled back, so a POST that succeeds changes nothing for the next role.

To see what every route answers now (for writing a row), run:
    MATRIX_PRINT=1 make test PYTEST_ARGS="tests/security/test_permission_matrix.py -s"
"""

import os
import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.security.access_table import ADMIN_LOGIN, ADMIN_SITE, ROWS, Row
from tests.security.routes import all_routes
from tests.security.world import ROLES, World

pytestmark = pytest.mark.django_db

CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")
REGEX_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")
ADMIN_KWARGS = {
    "object_id": "1",
    "app_label": "teams",
    "url": "nothing/",
    "content_type_id": "1",
    "id": "1",
    "pk": "1",
}


def _admin_url(route: str) -> str:
    path = route.replace("^", "").replace("$", "")
    path = REGEX_GROUP.sub(lambda m: ADMIN_KWARGS[m.group(1)], path)
    return CONVERTER.sub(lambda m: ADMIN_KWARGS[m.group(1)], path)


def _request(http: Client, row: Row, url: str, role: str):
    headers = {"HTTP_X_MATRIX_ROLE": role}
    with transaction.atomic():
        if row.method == "post":
            response = http.post(url, row.data or {}, **headers)
        else:
            response = http.get(url, row.data or {}, **headers)
        transaction.set_rollback(True)
    return response


def _clients(world: World) -> dict[str, Client]:
    clients = {}
    for role in ROLES:
        http = Client()
        user = world.user(role)
        if user is not None:
            http.force_login(user)
        clients[role] = http
    return clients


def test_every_route_has_a_row_and_no_row_is_stale() -> None:
    routes = {name for name, route, _ in all_routes() if not route.startswith("/admin/")}
    missing = sorted(routes - set(ROWS))
    stale = sorted(set(ROWS) - routes)
    assert not missing, (
        "Routes without a row in tests/security/access_table.py (add one; see the top of "
        f"that file): {missing}"
    )
    assert not stale, f"Rows for routes that no longer exist (remove them): {stale}"


def test_every_route_answers_each_role_as_the_table_says() -> None:
    world = World()
    clients = _clients(world)
    failures, table, tried = [], [], 0
    leaks = []
    for name, route, _ in all_routes():
        if route.startswith("/admin/"):
            continue
        row = ROWS.get(name)
        if row is None:
            continue  # reported by the test above
        url = reverse(name, kwargs=row.kwargs(world) if row.kwargs else None)
        actual = []
        for role in ROLES:
            response = _request(clients[role], row, url, role)
            tried += 1
            actual.append(response.status_code)
            if response.status_code not in row.expected(role):
                failures.append(
                    f"{name} {row.method.upper()} {url} as {role}: got {response.status_code},"
                    f" table says {row.raw(role)}"
                )
            if role in ("nurse_b", "coach_b") and response.status_code == 200:
                body = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
                text = body.decode(errors="replace")
                leaks += [f"{name} as {role} shows {m!r}" for m in world.markers() if m in text]
        table.append(f"{name:40} " + " ".join(map(str, actual)))
        if row.ends_session:
            clients = _clients(world)
    if os.environ.get("MATRIX_PRINT"):
        print("\n".join(table))  # noqa: T201
    print(f"permission matrix: {tried} requests ({len(table)} routes x {len(ROLES)} roles)")  # noqa: T201
    assert not failures, "\n".join(failures)
    assert not leaks, "Team-A data shown to team B:\n" + "\n".join(leaks)


# Every /admin/ URL goes through the same AdminSite.admin_view gate, so the generated routes
# are checked for anonymous, the app's administrator role and a nurse (the other roles are
# checked on the admin index, in the main matrix rows' style, to keep the run short).
ADMIN_SITE_ROLES = ("anonymous", "nurse_a", "admin")


def test_django_admin_is_closed_to_every_role() -> None:
    """The admin site is for superusers only; no role of the app (admin role included) gets in."""
    world = World()
    clients = _clients(world)
    failures, tried = [], 0
    admin_routes = [route for _, route, _ in all_routes() if route.startswith("/admin/")]
    for route in admin_routes:
        url = _admin_url(route)
        row = ADMIN_LOGIN if url == "/admin/login/" else ADMIN_SITE
        roles = ROLES if url == "/admin/" else ADMIN_SITE_ROLES
        for role in roles:
            response = _request(clients[role], row, url, role)
            tried += 1
            if response.status_code not in row.expected(role):
                failures.append(f"{url} as {role}: got {response.status_code}")
    print(f"admin site: {tried} requests over {len(admin_routes)} routes")  # noqa: T201
    assert len(admin_routes) > 20
    assert not failures, "\n".join(failures)
