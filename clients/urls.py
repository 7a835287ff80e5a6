from django.urls import path

from clients import views

app_name = "clients"

urlpatterns = [
    path("", views.client_list, name="client-list"),
    path("new/", views.client_register, name="client-register"),
    path("<uuid:public_id>/", views.client_detail, name="client-detail"),
    path("<uuid:public_id>/edit/", views.client_edit, name="client-edit"),
    path("<uuid:public_id>/discharge/", views.client_discharge, name="client-discharge"),
    path("<uuid:public_id>/export.json", views.client_export, name="client-export"),
    path("<uuid:public_id>/indications/new/", views.indication_add, name="indication-add"),
    path("<uuid:public_id>/network/new/", views.network_add, name="network-add"),
    path(
        "<uuid:public_id>/network/<uuid:contact_id>/remove/",
        views.network_remove,
        name="network-remove",
    ),
    path("<uuid:public_id>/problems/new/", views.problem_add, name="problem-add"),
    path(
        "<uuid:public_id>/problems/<uuid:problem_id>/resolve/",
        views.problem_resolve,
        name="problem-resolve",
    ),
    path(
        "<uuid:public_id>/problems/<uuid:problem_id>/interventions/new/",
        views.intervention_add,
        name="intervention-add",
    ),
    path(
        "<uuid:public_id>/problems/<uuid:problem_id>/interventions/<uuid:intervention_id>/stop/",
        views.intervention_stop,
        name="intervention-stop",
    ),
    path(
        "<uuid:public_id>/problems/<uuid:problem_id>/ratings/new/",
        views.rating_add,
        name="rating-add",
    ),
]
