import uuid
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse
from pghistory.middleware import HistoryMiddleware


class RequestIdMiddleware:
    """Give every request an id (or keep a proxy's X-Request-ID) for the audit trail and logs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            request.request_id = uuid.UUID(request.headers.get("X-Request-ID", ""))
        except ValueError:
            request.request_id = uuid.uuid4()
        response = self.get_response(request)
        response["X-Request-ID"] = str(request.request_id)
        return response


class HistoryContextMiddleware(HistoryMiddleware):
    """Attach who (user id), where (path) and which request to every history event.

    django-pghistory prefixes each write with `set_config('pghistory.context...')`, which is
    PostgreSQL SQL; on the embedded SQLite set-up there are no history triggers, so the
    middleware stands aside there.
    """

    def get_context(self, request: HttpRequest) -> dict[str, Any]:
        context = super().get_context(request)
        context["request_id"] = str(getattr(request, "request_id", ""))
        return context

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if connection.vendor != "postgresql":
            return self.get_response(request)
        return super().__call__(request)
