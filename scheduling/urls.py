from django.urls import path

from scheduling import views

app_name = "scheduling"

urlpatterns = [
    path("rota/", views.rota_page, name="rota"),
    path("rota/shifts/new/", views.shift_form_page, name="shift-create"),
    path("rota/shifts/<uuid:public_id>/", views.shift_form_page, name="shift-edit"),
    path("rota/shifts/<uuid:public_id>/delete/", views.shift_delete_page, name="shift-delete"),
    path("rota/leave/new/", views.leave_form_page, name="leave-create"),
    path("rota/leave/<uuid:public_id>/delete/", views.leave_delete_page, name="leave-delete"),
    path("rota/rules/", views.coverage_rule_page, name="coverage-rules"),
    path("rota/cover/", views.cover_arrangement_page, name="cover-arrangements"),
]
