from django.urls import path

from coaching.incidents.api import views

urlpatterns = [
    path("incidents/", views.IncidentListApi.as_view(), name="api-incident-list"),
    path("incidents/trends/", views.IncidentTrendsApi.as_view(), name="api-incident-trends"),
]
