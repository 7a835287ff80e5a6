from django.urls import path

from scheduling.billing import views

app_name = "billing"

urlpatterns = [
    path("", views.run_list, name="run-list"),
    path("runs/", views.run_start, name="run-start"),
    path("runs/<uuid:public_id>/", views.run_detail, name="run-detail"),
    path("runs/<uuid:public_id>/progress/", views.run_progress, name="run-progress"),
    path("runs/<uuid:public_id>/rerun/", views.run_rerun, name="run-rerun"),
    path("runs/<uuid:public_id>/check/", views.run_check, name="run-check"),
    path("runs/<uuid:public_id>/finalise/", views.run_finalise, name="run-finalise"),
    path("files/<uuid:public_id>/", views.file_download, name="file-download"),
    path("runs/<uuid:public_id>/returns/", views.run_return_upload, name="run-returns"),
    path("rejections/<uuid:public_id>/ready/", views.rejection_ready, name="rejection-ready"),
    path("contracts/", views.contract_list, name="contract-list"),
    path("contracts/new/", views.contract_create, name="contract-create"),
    path("contracts/<uuid:public_id>/", views.contract_detail, name="contract-detail"),
    path("insurers/", views.insurer_list, name="insurer-list"),
    path("insurers/new/", views.insurer_form, name="insurer-create"),
    path("insurers/<uuid:public_id>/", views.insurer_form, name="insurer-edit"),
    path("care-services/", views.care_service_list, name="care-service-list"),
    path("care-services/new/", views.care_service_form, name="care-service-create"),
    path("care-services/<int:pk>/", views.care_service_form, name="care-service-edit"),
]
