from django.urls import path

from scheduling.medication import views

app_name = "medication"

urlpatterns = [
    path("clients/<uuid:public_id>/", views.medication_list_page, name="list"),
    path("clients/<uuid:public_id>/add/", views.medication_create_page, name="create"),
    path("<uuid:public_id>/", views.medication_history_page, name="history"),
    path("<uuid:public_id>/edit/", views.medication_edit_page, name="edit"),
    path("<uuid:public_id>/stop/", views.medication_stop_page, name="stop"),
    path("visits/<uuid:public_id>/", views.visit_doses_page, name="visit-doses"),
    path("visits/<uuid:public_id>/all-given/", views.visit_all_given_page, name="visit-all-given"),
    path("signoffs/<uuid:public_id>/correct/", views.signoff_correct_page, name="signoff-correct"),
]
