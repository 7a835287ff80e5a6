from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Role flags for the navigation bar, so templates never compare role strings."""
    user = getattr(request, "user", None)
    role = getattr(user, "role", "") if user and user.is_authenticated else ""
    return {
        "nav_role": role,
        "is_nurse": role == "nurse",
        "is_coach": role == "coach",
        "is_back_office": role == "back_office",
        "is_admin_role": role == "admin",
    }
