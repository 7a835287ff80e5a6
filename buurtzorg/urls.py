import importlib.util

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from buurtzorg import pwa, views
from buurtzorg.audit import account_views


def _superuser_only(request: HttpRequest) -> bool:
    return request.user.is_active and request.user.is_superuser


# Django admin stays available to superusers only, whatever their role. The default site's
# check is replaced on the instance on purpose (the stubs only know it as a method).
admin.site.has_permission = _superuser_only  # type: ignore[method-assign]

# Each app mounts its pages at its prefix and its API under /api/ when it has the module.
# (Apps are listed once here, so adding a module is all an app needs to do.)
APP_PAGES = {
    "teams": "teams/",
    "omaha": "omaha/",
    "clients": "clients/",
    "clients.intake": "intake/",
    "clients.wounds": "wounds/",
    "clients.measurements": "measurements/",
    "scheduling": "scheduling/",
    "coaching": "coaching/",
    "coaching.incidents": "incidents/",
    "scheduling.billing": "billing/",
    "omaha.reports": "reports/",
    "buurtzorg.audit": "audit/",
    "scheduling.privacy": "privacy/",
    "scheduling.medication": "medication/",
    # Reports and handover: /handover/, and the timeline under /clients/<id>/reports/.
    "scheduling.carenotes": "",
    "scheduling.setup": "setup/",
}


def _has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    # Logging out also deletes her API tokens (buurtzorg.audit.account_views.LogoutPage).
    path("accounts/logout/", account_views.LogoutPage.as_view(), name="logout"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
    # Our scripts' texts in the page's language (gettext() in static/js; locale/*/djangojs.po).
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    # The installable app (issue 18): the worker must be served from / to control the site.
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service-worker"),
    path("favicon.ico", pwa.favicon, name="favicon"),
]
for _app, _prefix in APP_PAGES.items():
    if _has_module(f"{_app}.urls"):
        urlpatterns.append(path(_prefix, include(f"{_app}.urls")))
    if _has_module(f"{_app}.api.urls"):
        urlpatterns.append(path("api/", include(f"{_app}.api.urls")))
