"""The app's URLs plus two baselines that do no work of their own: `bench/noop/` (no query,
the user is never looked at) and `bench/noop-nurse/` (behind the nurse pages' own gate, so
the session and the nurse are loaded as on any of her pages; then a fixed tiny response)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from buurtzorg.access import role_required
from buurtzorg.urls import urlpatterns as app_urlpatterns
from teams.models import Role


def noop(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


@role_required(Role.NURSE)
def noop_nurse(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/noop/", noop, name="bench-noop"),
    path("bench/noop-nurse/", noop_nurse, name="bench-noop-nurse"),
    *app_urlpatterns,
]
