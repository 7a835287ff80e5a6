from django.urls import path

from coaching import views

app_name = "coaching"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("team/", views.team_dashboard, name="team-dashboard"),
    path("teams/<uuid:public_id>/", views.team_figures_page, name="team-figures"),
    path("spaces/", views.space_list, name="space-list"),
    path("spaces/<uuid:public_id>/", views.thread_list, name="thread-list"),
    path("spaces/<uuid:public_id>/new/", views.thread_create, name="thread-create"),
    path("spaces/<uuid:public_id>/decisions/", views.decision_list, name="decision-list"),
    path("threads/<uuid:public_id>/", views.thread_detail, name="thread-detail"),
    path("threads/<uuid:public_id>/posts/", views.post_poll, name="post-poll"),
    path("threads/<uuid:public_id>/reply/", views.post_create, name="post-create"),
    path("posts/<uuid:public_id>/decision/", views.post_decision, name="post-decision"),
    path("questions/<str:code>/", views.problem_questions, name="problem-questions"),
    path("files/<uuid:public_id>/", views.attachment_download, name="attachment-download"),
]
