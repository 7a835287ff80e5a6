"""Site-wide pages: the start page per role and the health check."""

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from buurtzorg.roles import Role

# Where each role starts its day, by URL name; a page not (yet) present falls back to home.
ROLE_START_PAGES: dict[str, str] = {
    Role.NURSE: "scheduling:my-day",
    Role.COACH: "coaching:dashboard",
    Role.BACK_OFFICE: "billing:run-list",
    # The set-up checklist while a fresh install misses something, then the teams.
    Role.ADMIN: "setup:start",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    # The kernel cannot name the app's User: its role is read by name (signed in, so present).
    target = ROLE_START_PAGES.get(getattr(request.user, "role", ""))
    try:
        return redirect(reverse(target)) if target else render(request, "home.html")
    except NoReverseMatch:
        return render(request, "home.html")


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and Redis reachability; 503 when a configured dependency is down."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        checks["database"] = f"error: {exc.__class__.__name__}"
    if settings.REDIS_URL:
        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping()
            checks["redis"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["redis"] = f"error: {exc.__class__.__name__}"
    else:
        checks["redis"] = "not configured (embedded mode, Celery eager)"
    healthy = all(v == "ok" or v.startswith("not configured") for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )
