from django.urls import path

from coaching.incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_create, name="create"),
    path("trends/", views.incident_trends, name="trends"),
    path("<uuid:public_id>/", views.incident_detail, name="detail"),
    path("<uuid:public_id>/actions/", views.incident_action_add, name="action-add"),
    path("<uuid:public_id>/close/", views.incident_close, name="close"),
]
