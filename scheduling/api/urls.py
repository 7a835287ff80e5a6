from django.urls import path

from scheduling.api import hours, views

urlpatterns = [
    path("shifts/", views.ShiftListApi.as_view(), name="api-shift-list"),
    path("shifts/<uuid:id>/", views.ShiftDetailApi.as_view(), name="api-shift-detail"),
    path("teams/<uuid:id>/coverage/", views.TeamCoverageApi.as_view(), name="api-team-coverage"),
    path("visits/", views.VisitListApi.as_view(), name="api-visit-list"),
    path("visits/today/", views.DayVisitsApi.as_view(), name="api-visit-today"),
    path("visits/<uuid:id>/", views.VisitDetailApi.as_view(), name="api-visit-detail"),
    path("visits/<uuid:id>/log/", views.VisitLogApi.as_view(), name="api-visit-log"),
    path(
        "visits/<uuid:id>/offline/",
        views.VisitOfflineActionApi.as_view(),
        name="api-visit-offline",
    ),
    path("visits/<uuid:id>/correct/", views.VisitCorrectApi.as_view(), name="api-visit-correct"),
    path("series/", views.SeriesListApi.as_view(), name="api-series-list"),
    path("clients/<uuid:id>/hours/", hours.ClientHoursApi.as_view(), name="api-client-hours"),
    path("teams/<uuid:id>/hours/", hours.TeamHoursApi.as_view(), name="api-team-hours"),
]
