from django.urls import path

from coaching.api import views

urlpatterns = [
    path("spaces/", views.SpaceListApi.as_view(), name="api-space-list"),
    path("threads/", views.ThreadListApi.as_view(), name="api-thread-list"),
    path("teams/<uuid:id>/figures/", views.TeamFiguresApi.as_view(), name="api-team-figures"),
    path("threads/<uuid:id>/posts/", views.ThreadPostListApi.as_view(), name="api-thread-posts"),
]
