from django.urls import path

from clients.api import views

urlpatterns = [
    path("clients/", views.ClientListApi.as_view(), name="api-client-list"),
    path("clients/<uuid:id>/", views.ClientDetailApi.as_view(), name="api-client-detail"),
    path(
        "clients/<uuid:id>/problems/",
        views.ClientProblemListApi.as_view(),
        name="api-client-problems",
    ),
    path(
        "clients/<uuid:id>/interventions/",
        views.InterventionListApi.as_view(),
        name="api-client-interventions",
    ),
    path("clients/<uuid:id>/ratings/", views.RatingListApi.as_view(), name="api-client-ratings"),
    path("clients/<uuid:id>/export/", views.ClientExportApi.as_view(), name="api-client-export"),
]
