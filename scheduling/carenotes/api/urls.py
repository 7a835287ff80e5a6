from django.urls import path

from scheduling.carenotes.api import views

urlpatterns = [
    path("clients/<uuid:id>/reports/", views.ClientReportsApi.as_view(), name="api-client-reports"),
    path(
        "clients/<uuid:id>/reports/<uuid:report_id>/",
        views.ClientReportApi.as_view(),
        name="api-client-report",
    ),
    path("handover/", views.HandoverApi.as_view(), name="api-handover"),
    path("handover/read/", views.HandoverReadApi.as_view(), name="api-handover-read"),
]
