"""Refuse an oversized request body before anything reads it.

Django caps a form or JSON body (DATA_UPLOAD_MAX_MEMORY_SIZE) but not a multipart upload:
the parser streams every part to memory or a temporary file, and only then does the
service see that a file is over its 5 MB. A 100 MB body was read in full before its refusal.
This middleware sits first and answers 413 from the declared Content-Length alone, so the
body of a refused request is never read. A body without a Content-Length (chunked) is read
by Django's WSGI handler as empty, so it cannot get past the cap either.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

BODY_TOO_LARGE = "Request refused: its body is larger than this application accepts."


class RequestBodyLimitMiddleware:
    """413 for a request whose Content-Length is over settings.MAX_REQUEST_BODY_BYTES."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(declared)
        except ValueError:
            return HttpResponse(
                "Request refused: malformed Content-Length.", status=400, content_type="text/plain"
            )
        if length > settings.MAX_REQUEST_BODY_BYTES:
            response = HttpResponse(BODY_TOO_LARGE, status=413, content_type="text/plain")
            response["Connection"] = "close"  # the unread body is not ours to drain
            return response
        return self.get_response(request)
