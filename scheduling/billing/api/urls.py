from django.urls import path

from scheduling.billing.api import views

urlpatterns = [
    path("billing/runs/", views.RunListApi.as_view(), name="api-billing-run-list"),
    path("billing/runs/<uuid:id>/", views.RunDetailApi.as_view(), name="api-billing-run-detail"),
    path(
        "billing/runs/<uuid:id>/preflight/",
        views.RunPreflightApi.as_view(),
        name="api-billing-run-preflight",
    ),
    path(
        "billing/runs/<uuid:id>/finalise/",
        views.RunFinaliseApi.as_view(),
        name="api-billing-run-finalise",
    ),
    path("billing/files/<uuid:id>/", views.RunFileApi.as_view(), name="api-billing-file"),
    path(
        "billing/runs/<uuid:id>/returns/",
        views.RunReturnsApi.as_view(),
        name="api-billing-run-returns",
    ),
    path(
        "billing/rejections/<uuid:id>/ready/",
        views.RejectionReadyApi.as_view(),
        name="api-billing-rejection-ready",
    ),
    path("billing/insurers/", views.InsurerListApi.as_view(), name="api-billing-insurer-list"),
    path(
        "billing/insurers/<uuid:id>/",
        views.InsurerDetailApi.as_view(),
        name="api-billing-insurer-detail",
    ),
    path(
        "billing/care-services/",
        views.CareServiceListApi.as_view(),
        name="api-billing-care-service-list",
    ),
    path(
        "billing/care-services/<int:id>/",
        views.CareServiceDetailApi.as_view(),
        name="api-billing-care-service-detail",
    ),
    path("billing/contracts/", views.ContractListApi.as_view(), name="api-billing-contract-list"),
    path(
        "billing/contracts/<uuid:id>/",
        views.ContractDetailApi.as_view(),
        name="api-billing-contract-detail",
    ),
]
