from django.urls import path

from clients.intake.api import views

urlpatterns = [
    path("intake-requests/", views.IntakeRequestListApi.as_view(), name="api-intake-list"),
    path(
        "intake-requests/<uuid:id>/resolve/",
        views.IntakeRequestResolveApi.as_view(),
        name="api-intake-resolve",
    ),
]
