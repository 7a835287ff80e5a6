from django.urls import path

from clients.intake import views

app_name = "intake"

urlpatterns = [
    path("", views.intake_list, name="list"),
    path("<uuid:public_id>/resolve/", views.intake_resolve, name="resolve"),
]
