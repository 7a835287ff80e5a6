from django.urls import path

from scheduling.views import corrections, cover, hours, rota, visits

app_name = "scheduling"

urlpatterns = [
    path("", visits.my_day_page, name="my-day"),
    path("today/clients/", visits.day_clients_page, name="day-clients"),
    path("visits/<uuid:public_id>/start/", visits.visit_start_page, name="visit-start"),
    path("visits/<uuid:public_id>/done/", visits.visit_done_page, name="visit-done"),
    path("visits/<uuid:public_id>/log/", visits.visit_log_page, name="visit-log"),
    path("visits/<uuid:public_id>/not-done/", visits.visit_not_done_page, name="visit-not-done"),
    path("visits/unplanned/", visits.visit_unplanned_page, name="visit-unplanned"),
    path("planning/", visits.planning_page, name="planning"),
    path("visits/new/", visits.visit_create_page, name="visit-create"),
    path("visits/<uuid:public_id>/", visits.visit_edit_page, name="visit-edit"),
    path("visits/<uuid:public_id>/assign/", visits.visit_assign_page, name="visit-assign"),
    path(
        "visits/<uuid:public_id>/correct/",
        corrections.visit_correct_page,
        name="visit-correct",
    ),
    path("series/new/", visits.series_create_page, name="series-create"),
    path("calendar/", visits.calendar_page, name="calendar"),
    path("calendar/stop/", visits.calendar_stop_page, name="calendar-stop"),
    path("calendar/new/", visits.calendar_renew_page, name="calendar-renew"),
    path("calendar/<str:token>.ics", visits.ical_feed, name="ical-feed"),
    path("rota/", rota.rota_page, name="rota"),
    path("rota/coverage/", rota.coverage_page, name="coverage"),
    path("rota/shifts/new/", rota.shift_form_page, name="shift-create"),
    path("rota/shifts/<uuid:public_id>/", rota.shift_form_page, name="shift-edit"),
    path("rota/shifts/<uuid:public_id>/delete/", rota.shift_delete_page, name="shift-delete"),
    path("rota/leave/new/", rota.leave_form_page, name="leave-create"),
    path("rota/leave/<uuid:public_id>/delete/", rota.leave_delete_page, name="leave-delete"),
    path("rota/rules/", rota.coverage_rule_page, name="coverage-rules"),
    path("rota/cover/", cover.cover_page, name="cover-arrangements"),
    path("rota/cover/<uuid:public_id>/accept/", cover.cover_accept_page, name="cover-accept"),
    path("rota/cover/<uuid:public_id>/remove/", cover.cover_remove_page, name="cover-remove"),
    path("hours/", hours.team_hours_page, name="team-hours"),
    path("clients/<uuid:public_id>/hours/", hours.client_hours_page, name="client-hours"),
]
