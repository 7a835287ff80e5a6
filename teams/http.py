"""The request type of views behind the sign-in gate, for annotations.

Django types `request.user` as `User | AnonymousUser`. A view wrapped in
`buurtzorg.access.role_required` (or `login_required`) only ever runs for a signed-in `User`,
and every request has passed django-htmx's middleware, which sets `request.htmx`; annotating
the view's `request` with this class says so to the type checker (Django still passes its own
HttpRequest: nothing changes at run time). It lives here, beside `User`, because the project
package `buurtzorg` imports no app.
"""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from teams.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User  # narrowed from User | AnonymousUser by the gate
    htmx: HtmxDetails
