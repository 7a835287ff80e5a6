from django.urls import path

from scheduling.carenotes import views

app_name = "carenotes"

urlpatterns = [
    path("handover/", views.handover_page, name="handover"),
    path("handover/read/", views.handover_read_page, name="handover-read"),
    path("clients/<uuid:public_id>/reports/", views.timeline_page, name="timeline"),
    path("clients/<uuid:public_id>/reports/new/", views.report_create_page, name="report-create"),
    path(
        "clients/<uuid:public_id>/reports/<uuid:report_id>/edit/",
        views.report_edit_page,
        name="report-edit",
    ),
]
