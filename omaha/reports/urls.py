from django.urls import path

from omaha.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="report-list"),
    path("<uuid:public_id>/", views.report_detail, name="report-detail"),
    path("<uuid:public_id>/progress/", views.report_progress, name="report-progress"),
    path("<uuid:public_id>/<str:kind>/", views.report_download, name="report-download"),
]
