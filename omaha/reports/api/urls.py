from django.urls import path

from omaha.reports.api import views

urlpatterns = [
    path("reports/outcomes/", views.ReportListApi.as_view(), name="api-report-list"),
    path("reports/outcomes/<uuid:id>/", views.ReportDetailApi.as_view(), name="api-report-detail"),
]
