from django.urls import path

from scheduling.medication.api import views

urlpatterns = [
    path(
        "clients/<uuid:id>/medication/",
        views.ClientMedicationApi.as_view(),
        name="api-client-medication",
    ),
    path("medication/<uuid:id>/", views.MedicationDetailApi.as_view(), name="api-medication"),
    path(
        "medication/<uuid:id>/stop/", views.MedicationStopApi.as_view(), name="api-medication-stop"
    ),
    path("visits/<uuid:id>/doses/", views.VisitDosesApi.as_view(), name="api-visit-doses"),
    path(
        "visits/<uuid:id>/doses/all-given/",
        views.VisitAllGivenApi.as_view(),
        name="api-visit-doses-all-given",
    ),
    path(
        "signoffs/<uuid:id>/correct/",
        views.SignoffCorrectApi.as_view(),
        name="api-signoff-correct",
    ),
]
