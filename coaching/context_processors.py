from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from coaching.selectors import unread_total


def unread(request: HttpRequest) -> dict[str, Any]:
    """`nav_unread` for the Messages badge: one COUNT query, only when a template uses it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_unread": 0}
    return {"nav_unread": SimpleLazyObject(lambda: unread_total(user=user))}
