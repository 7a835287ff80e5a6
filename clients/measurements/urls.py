from django.urls import path

from clients.measurements import views

app_name = "measurements"

urlpatterns = [
    path("<uuid:public_id>/", views.measurement_list, name="list"),
    path("<uuid:public_id>/add/", views.measurement_add, name="add"),
    path("<uuid:public_id>/normal-range/", views.normal_range_set, name="normal-range"),
]
