"""The app's URLs plus `bench/noop/`, a view that makes no query (a baseline)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from buurtzorg.urls import urlpatterns as app_urlpatterns


def noop(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/noop/", noop, name="bench-noop"), *app_urlpatterns]
