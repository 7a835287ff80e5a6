"""The request type of views behind the sign-in gate, and the signed-in user of a request.

Django types `request.user` as `User | AnonymousUser`. A view wrapped in
`buurtzorg.access.role_required` (or `login_required`) only ever runs for a signed-in `User`,
and every request has passed django-htmx's middleware, which sets `request.htmx`; annotating
the view's `request` with this class says so to the type checker (Django still passes its own
HttpRequest: nothing changes at run time). It lives here, beside `User`, because the project
package `buurtzorg` imports no app.

Where the framework decides the signature (DRF's handlers, the admin's hooks), ask
`signed_in_user(request)` for the user instead.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from teams.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User  # narrowed from User | AnonymousUser by the gate
    htmx: HtmxDetails


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in `User` of a request that passed a sign-in gate.

    For API views (DRF's `Request`; the API's default permission is `IsAuthenticated`, or a
    `has_role` gate) and the admin (superusers only): there it never refuses. Should a gate
    ever be missing, an anonymous caller is refused (403) instead of reaching a service.
    """
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
