from django.urls import path

from scheduling.setup.api import views

urlpatterns = [
    path("setup/checklist/", views.SetupChecklistApi.as_view(), name="api-setup-checklist"),
]
