"""Where a request came from, for the access log, without passing the request around.

Read services (`<app>.reads`) and write services log access themselves, so they must not
need the `HttpRequest`: `RequestIdMiddleware` binds the request's id, address and path to
this context for the length of the request, and `access_log_write` reads them from here.
Outside a request (a Celery task, the shell) there is no context and those fields stay empty.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest

from buurtzorg.audit.lockout import client_ip


@dataclass(frozen=True)
class RequestMeta:
    request_id: uuid.UUID
    ip_address: str | None
    path: str

    @property
    def via_api(self) -> bool:
        return self.path.startswith("/api/")


_current: ContextVar[RequestMeta | None] = ContextVar("buurtzorg_audit_request", default=None)


def current_request() -> RequestMeta | None:
    """The request being served in this thread (or task), if any."""
    return _current.get()


def client_address(request: HttpRequest) -> str | None:
    """The client's address: behind a trusted proxy the forwarded one (same rule as lockout)."""
    return client_ip(request)


@contextmanager
def bound_request(request: HttpRequest, request_id: uuid.UUID) -> Iterator[RequestMeta]:
    """Bind `request` as the current one until the block ends (nested binds restore)."""
    meta = RequestMeta(
        request_id=request_id, ip_address=client_address(request), path=request.path[:300]
    )
    token = _current.set(meta)
    try:
        yield meta
    finally:
        _current.reset(token)
