from django.urls import path

from teams import language, views

app_name = "teams"

urlpatterns = [
    path("", views.team_list_page, name="team-list"),
    path("new/", views.team_create_page, name="team-create"),
    path("<uuid:public_id>/", views.team_detail_page, name="team-detail"),
    path("<uuid:public_id>/edit/", views.team_edit_page, name="team-edit"),
    path("<uuid:public_id>/members/", views.team_add_nurse_page, name="team-add-nurse"),
    path("<uuid:public_id>/coaches/", views.team_coach_page, name="team-coaches"),
    path("memberships/<uuid:public_id>/end/", views.membership_end_page, name="membership-end"),
    path("neighbourhoods/", views.neighbourhood_list_page, name="neighbourhood-list"),
    path("neighbourhoods/new/", views.neighbourhood_form_page, name="neighbourhood-create"),
    path(
        "neighbourhoods/<uuid:public_id>/", views.neighbourhood_form_page, name="neighbourhood-edit"
    ),
    path("users/", views.user_list_page, name="user-list"),
    path("users/new/", views.user_create_page, name="user-create"),
    path("users/<int:pk>/", views.user_edit_page, name="user-edit"),
    path("organisation/", views.organisation_page, name="organisation"),
    path("language/", language.language_switch, name="language"),
]
