from django.urls import path

from buurtzorg.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.access_log_page, name="log"),
    path("clients/<uuid:client_public_id>/", views.client_report_page, name="client-report"),
    path(
        "clients/<uuid:client_public_id>/access.csv",
        views.client_report_csv,
        name="client-report-csv",
    ),
    path(
        "clients/<uuid:client_public_id>/access.pdf",
        views.client_report_pdf,
        name="client-report-pdf",
    ),
]
