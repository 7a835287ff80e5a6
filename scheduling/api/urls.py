from django.urls import path

from scheduling.api import views

urlpatterns = [
    path("shifts/", views.ShiftListApi.as_view(), name="api-shift-list"),
    path("shifts/<uuid:id>/", views.ShiftDetailApi.as_view(), name="api-shift-detail"),
    path("teams/<uuid:id>/coverage/", views.TeamCoverageApi.as_view(), name="api-team-coverage"),
]
