"""API plumbing: service ValidationErrors become 400s with field errors; input fields that
resolve ids through the caller's visibility."""

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def validation_error_detail(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): [str(m) for m in errors[0:]]
            for field, errors in exc.message_dict.items()
        }
    return {"non_field_errors": list(exc.messages)}


MALFORMED_VALUE = _("A value in the request is malformed or out of range.")


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map Django's ValidationError (raised by services and constraints) to HTTP 400, and so
    a malformed value that only the database noticed (DataError: a NUL byte, a number out of
    the column's range)."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(validation_error_detail(exc))
    elif isinstance(exc, DataError):
        exc = exceptions.ParseError(MALFORMED_VALUE)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)


MISSING_USER_CONTEXT = (
    "This serializer resolves ids through the caller's visibility: pass "
    'context={"request": request} (or {"user": user}).'
)


def request_user(context: Mapping[str, Any]) -> Any:  # noqa: ANN401 - the project's User
    """The user a serializer works for: `context["request"].user`, or `context["user"]`.

    A serializer without either is a programming error, not an anonymous caller: failing
    loudly keeps a view that forgot its context from resolving ids without a gate.
    """
    request = context.get("request")
    if request is not None:
        return request.user
    if "user" in context:
        return context["user"]
    raise ImproperlyConfigured(MISSING_USER_CONTEXT)


class VisibleSlugRelatedField(serializers.SlugRelatedField):
    """A related-object field that resolves ids only among what the caller may see.

    `visible` is a selector, `(user) -> QuerySet`, evaluated per request. An id of another
    team's object and an id that exists nowhere then fail alike (same status, same message),
    so an input field cannot be used to learn which ids exist.
    """

    def __init__(
        self, *, model: type[Model], visible: Callable[[Any], QuerySet], **kwargs: Any
    ) -> None:
        self.visible = visible
        # A field may name its own message for it (coaching: "not your team's space").
        self.unknown_message = (
            "does_not_exist" if "does_not_exist" in kwargs.get("error_messages", {}) else "unknown"
        )
        kwargs.setdefault("slug_field", "public_id")
        # An empty queryset of `model` only tells the schema generator what the field holds;
        # `get_queryset` gives the caller's objects on every use.
        super().__init__(queryset=model._default_manager.none(), **kwargs)

    default_error_messages = {
        "unknown": _("No such item among the ones you can use."),
    }

    def get_queryset(self) -> QuerySet:
        return self.visible(request_user(self.context))

    def to_internal_value(self, data: Any) -> Any:
        # One message, without the value, for another team's id, one that exists nowhere and
        # a malformed one (issue 20, item 10): DRF's own say "does not exist" with the id, or
        # "not a valid UUID", which would tell a made-up id from a real one.
        try:
            return self.get_queryset().get(**{self.slug_field: data})
        except (ObjectDoesNotExist, DjangoValidationError, TypeError, ValueError):
            self.fail(self.unknown_message, slug_name=self.slug_field, value="")
