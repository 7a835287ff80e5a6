from django.urls import path

from omaha import views

app_name = "omaha"

urlpatterns = [
    path("", views.vocabulary_browser, name="browser"),
]
