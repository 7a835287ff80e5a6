from django.urls import path

from scheduling.privacy import register_views, views

app_name = "privacy"

urlpatterns = [
    path("clients/<uuid:public_id>/export.json", views.client_export_json, name="export-json"),
    path("clients/<uuid:public_id>/export.pdf", views.client_export_pdf, name="export-pdf"),
    path("requests/", register_views.request_list, name="request-list"),
    path("requests/<uuid:public_id>/", register_views.request_detail, name="request-detail"),
]
