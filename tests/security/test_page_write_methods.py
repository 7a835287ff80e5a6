"""PUT, PATCH and DELETE on every page route (issue 20, "PUT/PATCH/DELETE on every route").

The pages are forms: they read with GET and write with POST, which the main matrix
(test_permission_matrix.py) asks. Any other method must be refused (405, or the role gate's
302/403/404 first) and store nothing; a page must never treat PUT as a GET that answers 200,
nor as a POST that writes. The API routes get the same methods in test_write_matrix.py.

Each route is asked by anonymous and by every role the table lets in (the roles that reach
the view's own code); the roles the gate turns away are the main matrix's business.
Django's own account forms (log-in, password change and reset) handle PUT like POST; they are
listed with the reason, and must store nothing with the body sent here.
"""

import pytest
from django.db import transaction
from django.urls import reverse

from tests.security.access_table import ROWS
from tests.security.routes import all_routes
from tests.security.test_write_matrix import WriteCounter, _clients
from tests.security.world import World

pytestmark = pytest.mark.django_db

METHODS = ("PUT", "PATCH", "DELETE")
REFUSED = {302, 403, 404, 405}
# Django's FormView classes run `post()` for PUT: an invalid form is shown again (200).
FORM_VIEWS_TAKE_PUT = {
    "login": "Django's LoginView (FormView): PUT is POST; an empty form logs no one in",
    "audit:password-change": "Django's PasswordChangeView: PUT is POST; needs the old password",
    "audit:password-reset": "Django's PasswordResetView: PUT is POST; an invalid address sends "
    "nothing",
    "audit:password-reset-confirm": "Django's PasswordResetConfirmView: a made-up link shows "
    "the 'used or expired' page for every method",
}


def _reaches_view(row: object, role: str) -> bool:
    return any(200 <= code < 300 for code in row.expected(role))  # type: ignore[attr-defined]


def test_put_patch_and_delete_on_every_page_are_refused_and_store_nothing() -> None:
    world = World()
    clients, rows_written = _clients(world), WriteCounter()
    failures, tried = [], 0
    for name, route, _ in all_routes():
        row = ROWS.get(name)
        if route.startswith(("/api/", "/admin/")) or row is None or row.ends_session:
            continue  # (the API: test_write_matrix; the admin site: superusers only)
        url = reverse(name, kwargs=row.kwargs(world) if row.kwargs else None)
        roles = ["anonymous"] + [r for r in clients if r != "anonymous" and _reaches_view(row, r)]
        for role in roles:
            for method in METHODS:
                with transaction.atomic():
                    before = rows_written()
                    response = clients[role].generic(
                        method, url, "note=matrix", content_type="application/x-www-form-urlencoded"
                    )
                    written = rows_written() - before
                    transaction.set_rollback(True)
                tried += 1
                where = f"{name} {method} {url} as {role}: {response.status_code}"
                if written:
                    failures.append(f"{where}, wrote {written} rows")
                elif response.status_code not in REFUSED and name not in FORM_VIEWS_TAKE_PUT:
                    failures.append(where)
    print(f"page write methods: {tried} requests")  # noqa: T201
    assert tried > 300
    assert not failures, "\n".join(failures)
