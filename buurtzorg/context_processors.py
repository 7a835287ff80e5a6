from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

# The menus' links (_partials/nav.html and _partials/tabbar.html), by the template variable that
# holds each; empty when an app does not (yet) define the page.
MENU_URLS = {
    "my_day_url": "scheduling:my-day",
    "planning_url": "scheduling:planning",
    "rota_url": "scheduling:rota",
    "clients_url": "clients:client-list",
    "omaha_url": "omaha:browser",
    "coach_dashboard_url": "coaching:dashboard",
    "team_dashboard_url": "coaching:team-dashboard",
    "spaces_url": "coaching:space-list",
    "billing_url": "billing:run-list",
    "reports_url": "reports:report-list",
    "audit_url": "audit:log",
    "handover_url": "carenotes:handover",
    "privacy_requests_url": "privacy:request-list",
    "team_list_url": "teams:team-list",
    "incidents_url": "incidents:list",
    "incident_trends_url": "incidents:trends",
    "intake_url": "intake:list",
    "organisation_url": "teams:organisation",
    "insurers_url": "billing:insurer-list",
    "care_services_url": "billing:care-service-list",
    "neighbourhoods_url": "teams:neighbourhood-list",
    "accounts_url": "teams:user-list",
    "setup_url": "setup:checklist",
    "password_change_url": "audit:password-change",
    "otp_setup_url": "audit:otp-setup",
    "language_url": "teams:language",
    "logout_url": "logout",
}
_menu_urls: dict[tuple[str, str | None, str], dict[str, str]] = {}


def menu_urls() -> dict[str, str]:
    """The menus' links, reversed once per URLconf and script prefix.

    The two menus are on every page and reversed these names on every request (about 35
    reversals of the same constant URLs, a few ms of a nurse's page on a busy server).
    """
    key = (settings.ROOT_URLCONF, get_urlconf(), get_script_prefix())
    urls = _menu_urls.get(key)
    if urls is None:
        urls = {}
        for variable, name in MENU_URLS.items():
            try:
                urls[variable] = reverse(name)
            except NoReverseMatch:
                urls[variable] = ""
        _menu_urls[key] = urls
    return urls


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Role flags for the navigation bar, so templates never compare role strings, and the
    menus' links."""
    user = getattr(request, "user", None)
    role = getattr(user, "role", "") if user and user.is_authenticated else ""
    return {
        "nav_role": role,
        "is_nurse": role == "nurse",
        "is_coach": role == "coach",
        "is_back_office": role == "back_office",
        "is_admin_role": role == "admin",
        **menu_urls(),
    }
