from django.urls import path

from teams.api import views

urlpatterns = [
    path("auth/token/", views.TokenApi.as_view(), name="api-token"),
    path("neighbourhoods/", views.NeighbourhoodListApi.as_view(), name="api-neighbourhood-list"),
    path(
        "neighbourhoods/<uuid:id>/",
        views.NeighbourhoodDetailApi.as_view(),
        name="api-neighbourhood-detail",
    ),
    path("organisation/", views.OrganisationApi.as_view(), name="api-organisation"),
    path("teams/", views.TeamListApi.as_view(), name="api-team-list"),
    path("teams/<uuid:id>/", views.TeamDetailApi.as_view(), name="api-team-detail"),
    path("teams/<uuid:id>/members/", views.TeamMemberListApi.as_view(), name="api-team-members"),
]
