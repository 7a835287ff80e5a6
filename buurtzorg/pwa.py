"""The installable web app (issue 18): web manifest, service worker and favicon.

The service worker is static/js/sw.js, served from the site's root so that its scope is the
whole site (a worker under /static/ could only control /static/). The few addresses it needs
(My day, log out, the files of the app shell) are written in front of it as `self.BZ`, so the
file itself names no URL. Nothing here reads care data: the worker caches what the nurse's own
requests return, through the usual gates.
"""

import json
import re
from pathlib import Path
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

THEME_COLOUR = "#1f6f4a"  # --brand in static/css/app.css
BACKGROUND_COLOUR = "#f6f7f4"  # --bg
SERVICE_WORKER = Path(settings.BASE_DIR) / "static" / "js" / "sw.js"
# The app shell: what every page needs, cached when the worker installs.
SHELL_FILES = (
    "css/app.css",
    "js/htmx.min.js",
    "js/app.js",
    "js/offline.js",
    "js/visit_log.js",
    "js/drafts.js",
    "icons/icon-192.png",
    "icons/favicon.ico",
)


def _url_or_empty(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def _visit_page_pattern() -> str:
    """The path of any visit's log page, as a regular expression for the worker."""
    sample = UUID(int=0)
    try:
        path = reverse("scheduling:visit-log", args=[sample])
    except NoReverseMatch:
        return ""
    return "^" + re.escape(path).replace(re.escape(str(sample)), "[0-9a-f-]{36}") + "$"


@require_GET
@cache_control(max_age=3600, public=True)
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest, in the reader's language."""
    data = {
        "name": _("Buurtzorg neighbourhood care"),
        "short_name": "Buurtzorg",
        "description": _("Your day's visits, clients and team, also without a connection."),
        "lang": request.LANGUAGE_CODE,
        "start_url": reverse("home"),
        "scope": "/",
        "id": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json")


@require_GET
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    """static/js/sw.js with its addresses in front, allowed to control the whole site; never
    cached by the browser, so a new version reaches the phones at their next visit."""
    config = {
        "shell": [static(path) for path in SHELL_FILES],
        "myDay": _url_or_empty("scheduling:my-day"),
        "dayPages": [
            url
            for url in map(_url_or_empty, ("scheduling:my-day", "scheduling:day-clients"))
            if url
        ],
        "visitPage": _visit_page_pattern(),
        "logout": reverse("logout"),
        "login": reverse("login"),
        "staticPrefix": static(""),
    }
    body = f"self.BZ = {json.dumps(config)};\n" + SERVICE_WORKER.read_text(encoding="utf-8")
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says; answer with the static icon."""
    return redirect(static("icons/favicon.ico"), permanent=True)
