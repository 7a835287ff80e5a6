from django.urls import path

from scheduling.privacy.api import views

urlpatterns = [
    path("privacy-requests/", views.PrivacyRequestsApi.as_view(), name="api-privacy-requests"),
    path(
        "privacy-requests/<uuid:id>/",
        views.PrivacyRequestApi.as_view(),
        name="api-privacy-request",
    ),
    path(
        "privacy-requests/<uuid:id>/handle/",
        views.PrivacyRequestHandleApi.as_view(),
        name="api-privacy-request-handle",
    ),
]
