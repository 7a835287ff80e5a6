"""NUL bytes and malformed ids are the client's mistake: 400 (or the route's own refusal),
never a 500, on every route (issue 20 item 11)."""

import json
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.security.access_table import ROWS, Row
from tests.security.routes import all_routes
from tests.security.world import ROLES, World

pytestmark = pytest.mark.django_db
FORM = "application/x-www-form-urlencoded"


def _role_that_gets_in(row: Row) -> str:
    """The first role the route serves (so the request reaches the view), else admin."""
    for role in ROLES:
        if any(200 <= code < 400 for code in row.expected(role)) and role != "anonymous":
            return role
    return "admin"


def _client(world: World, role: str) -> Client:
    http = Client(raise_request_exception=False)
    user = world.user(role)
    if user is not None:
        http.force_login(user)
    return http


def _answer(http: Client, row: Row, url: str, *, method: str, **kwargs: object) -> int:
    with transaction.atomic():
        response = getattr(http, method)(url, **kwargs)
        if response.streaming:
            b"".join(response.streaming_content)
        transaction.set_rollback(True)
    return response.status_code


def _routes(world: World) -> list[tuple[str, Row, str]]:
    routes = []
    for name, route, _ in all_routes():
        row = ROWS.get(name)
        if route.startswith("/admin/") or row is None:
            continue
        routes.append((name, row, reverse(name, kwargs=row.kwargs(world) if row.kwargs else None)))
    return routes


def test_a_nul_byte_in_the_query_string_is_400_on_every_route() -> None:
    world = World()
    clients = {role: _client(world, role) for role in ROLES}
    wrong = []
    for name, row, url in _routes(world):
        http = clients[_role_that_gets_in(row)]
        if row.method == "get":  # the test client builds the query string from `data`
            data = {**(row.data or {}), "q": "\x00", "page": "\x00"}
            status = _answer(http, row, url, method="get", data=data)
        else:
            status = _answer(http, row, f"{url}?q=%00", method="post", data=row.data)
        if status != 400:
            wrong.append(f"{name} {row.method.upper()} ?q=%00: {status}")
        if row.ends_session:
            clients = {role: _client(world, role) for role in ROLES}
    assert not wrong, "\n".join(wrong)


def test_a_nul_byte_in_a_form_or_json_body_is_400_on_every_post_route() -> None:
    world = World()
    clients = {role: _client(world, role) for role in ROLES}
    wrong = []
    for name, row, url in _routes(world):
        http = clients[_role_that_gets_in(row)]
        fields = {**(row.data or {}), "name": "a\x00b", "client": "\x00"}
        for kind, kwargs, expected in (
            ("form", {"data": urlencode(fields), "content_type": FORM}, {400}),
            ("json", {"data": json.dumps(fields), "content_type": "application/json"}, {400}),
            # Multipart is not read at the door (uploads): forms refuse a NUL themselves
            # (Django's ProhibitNullCharactersValidator), the database as a backstop.
            ("multipart", {"data": fields}, None),
        ):
            status = _answer(http, row, url, method="post", **kwargs)
            if status >= 500 or (expected is not None and status not in expected):
                wrong.append(f"{name} POST {kind} with NUL: {status}")
        if row.ends_session:
            clients = {role: _client(world, role) for role in ROLES}
    assert not wrong, "\n".join(wrong)


def test_a_nul_byte_in_the_path_is_400(client) -> None:
    assert client.get("/clients/%00/").status_code == 400


ID_FIELDS = (
    "client", "nurse", "team", "visit", "series", "space", "thread", "problem",
    "client_problem", "intervention", "insurer", "neighbourhood", "contract", "run", "shift",
    "leave", "member", "membership", "medication", "wound", "incident", "id", "public_id",
    "page", "week", "day", "month", "year", "date", "on", "start", "end", "period_start",
    "period_end", "next", "status", "kind",
)  # fmt: skip


@pytest.mark.parametrize("bad", ["not-an-id", "-1"])
def test_malformed_ids_and_dates_in_queries_and_bodies_are_never_a_500(bad: str) -> None:
    # given every route, asked by a role it serves, with every usual id, date or paging
    # parameter set to something malformed (the assessment found slugs in POST bodies and
    # non-numeric ids answering 500)
    world = World()
    clients = {role: _client(world, role) for role in ROLES}
    wrong = []
    fields = dict.fromkeys(ID_FIELDS, bad)
    for name, row, url in _routes(world):
        http = clients[_role_that_gets_in(row)]
        # when they come in the query string, as a form and as JSON
        asked = [
            ("query", _answer(http, row, url, method="get", data={**(row.data or {}), **fields}))
        ]
        if row.method == "post" or not url.startswith("/api/"):
            data = {**(row.data or {}), **fields}
            asked.append(
                (
                    "form",
                    _answer(http, row, url, method="post", data=urlencode(data), content_type=FORM),
                )
            )
            asked.append(
                (
                    "json",
                    _answer(
                        http,
                        row,
                        url,
                        method="post",
                        data=json.dumps(data),
                        content_type="application/json",
                    ),
                )
            )
        # then the answer is the client's mistake or the route's own refusal, never a 500
        wrong += [f"{name} {kind} {bad!r}: {status}" for kind, status in asked if status >= 500]
        if row.ends_session:
            clients = {role: _client(world, role) for role in ROLES}
    assert not wrong, "\n".join(wrong)
