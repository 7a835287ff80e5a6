from django.urls import path

from clients.measurements.api import views

urlpatterns = [
    path(
        "clients/<uuid:id>/measurements/",
        views.MeasurementListApi.as_view(),
        name="api-client-measurements",
    ),
]
