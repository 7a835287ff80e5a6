from django.urls import path

from scheduling.setup import views

app_name = "setup"

urlpatterns = [
    path("", views.setup_checklist_page, name="checklist"),
    path("start/", views.setup_start, name="start"),
]
