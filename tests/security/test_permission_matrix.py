"""The permission matrix: every route in the URL configuration, for every role.

Routes come from `get_resolver()` (tests/security/routes.py), never from a hand-made list,
so a new route without a row in tests/security/access_table.py fails here. Each request runs
in a savepoint that is rolled back, so a POST that succeeds changes nothing for the next role.

To see what every route answers now (for writing a row), run:
    MATRIX_PRINT=1 make test PYTEST_ARGS="tests/security/test_permission_matrix.py -s"
"""

import os
import re
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.db.models import Max
from django.test import Client
from django.urls import reverse, reverse_lazy

from buurtzorg.audit.models import AccessEvent
from tests.security.access_table import ADMIN_LOGIN, ADMIN_SITE, KNOWN_AUDIT_GAPS, ROWS, Row
from tests.security.routes import all_routes
from tests.security.world import ROLES, World

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse_lazy("login")
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


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    access_rows: int  # AccessEvent rows this request wrote
    served: bool  # 2xx, or a redirect that is not to the login page (a POST that worked)


def _request(http: Client, row: Row, url: str, role: str) -> Answer:
    headers = {"HTTP_X_MATRIX_ROLE": role}
    with transaction.atomic():
        last = AccessEvent.objects.aggregate(last=Max("pk"))["last"] or 0
        if row.method == "post":
            response = http.post(url, row.data or {}, **headers)
        else:
            response = http.get(url, row.data or {}, **headers)
        # Read a streamed body inside the savepoint: an export may log while it streams.
        body = b"".join(response.streaming_content) if response.streaming else response.content
        access_rows = AccessEvent.objects.filter(pk__gt=last).count()
        transaction.set_rollback(True)
    status = response.status_code
    to_login = 300 <= status < 400 and response.get("Location", "").startswith(str(LOGIN_URL))
    served = 200 <= status < 300 or (300 <= status < 400 and not to_login)
    return Answer(status=status, body=body, access_rows=access_rows, served=served)


def _audit_failure(name: str, row: Row, role: str, answer: Answer) -> str | None:
    """An audited route writes exactly one access row per served request; anything else
    (a route that shows no client data, a refused request) writes none."""
    expected = 1 if row.audited and answer.served else 0
    if answer.access_rows == expected:
        return None
    return (
        f"{name} {row.method.upper()} as {role} ({answer.status}): wrote {answer.access_rows}"
        f" access rows, expected {expected}"
    )


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
    leaks, audit_failures, known_gaps = [], [], []
    for name, route, _ in all_routes():
        if route.startswith("/admin/"):
            continue
        row = ROWS.get(name)
        if row is None:
            continue  # reported by the test above
        url = reverse(name, kwargs=row.kwargs(world) if row.kwargs else None)
        actual = []
        for role in ROLES:
            answer = _request(clients[role], row, url, role)
            tried += 1
            actual.append(
                f"{answer.status}" + (f"/{answer.access_rows}" if answer.access_rows else "")
            )
            if answer.status not in row.expected(role):
                failures.append(
                    f"{name} {row.method.upper()} {url} as {role}: got {answer.status},"
                    f" table says {row.raw(role)}"
                )
            audit_failure = _audit_failure(name, row, role, answer)
            if audit_failure:
                (known_gaps if name in KNOWN_AUDIT_GAPS else audit_failures).append(audit_failure)
            if role in ("nurse_b", "coach_b") and answer.status == 200:
                text = answer.body.decode(errors="replace")
                leaks += [f"{name} as {role} shows {m!r}" for m in world.markers() if m in text]
        table.append(f"{name:40} " + " ".join(actual) + ("  audited" if row.audited else ""))
        if row.ends_session:
            clients = _clients(world)
    if os.environ.get("MATRIX_PRINT"):
        print("\n".join(table))  # noqa: T201
    print(f"permission matrix: {tried} requests ({len(table)} routes x {len(ROLES)} roles)")  # noqa: T201
    if known_gaps:
        print("known audit gaps (KNOWN_AUDIT_GAPS):\n" + "\n".join(known_gaps))  # noqa: T201
    assert not failures, "\n".join(failures)
    assert not leaks, "Team-A data shown to team B:\n" + "\n".join(leaks)
    assert not audit_failures, (
        "Access rows per request differ from the table's `audited` column:\n"
        + "\n".join(audit_failures)
    )
    gaps_closed = KNOWN_AUDIT_GAPS - {line.split()[0] for line in known_gaps}
    assert not gaps_closed, (
        f"These routes now log as the table says; remove them from KNOWN_AUDIT_GAPS: "
        f"{sorted(gaps_closed)}"
    )


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
            answer = _request(clients[role], row, url, role)
            tried += 1
            if answer.status not in row.expected(role):
                failures.append(f"{url} as {role}: got {answer.status}")
    print(f"admin site: {tried} requests over {len(admin_routes)} routes")  # noqa: T201
    assert len(admin_routes) > 20
    assert not failures, "\n".join(failures)
