"""Role gates for pages (decorator) and the API (DRF permission factory).

Row-level access is not decided here: that is each app's `*_visible` selector.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from rest_framework.permissions import BasePermission


def _has_role(user: Any, roles: tuple[str, ...]) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in roles)


def role_required(*roles: str) -> Callable:
    """Page decorator: anonymous users go to login; a wrong role gets 404 (nothing leaks)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not _has_role(request.user, roles):
                raise Http404
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = roles  # type: ignore[attr-defined]
        return wrapped

    return decorator


def has_role(*roles: str) -> type[BasePermission]:
    """DRF permission class allowing only the given roles."""

    class HasRole(BasePermission):
        allowed_roles = roles

        def has_permission(self, request: Any, view: Any) -> bool:
            return _has_role(request.user, roles)

    HasRole.__name__ = "HasRole_" + "_".join(roles)
    return HasRole
