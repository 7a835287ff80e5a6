from django.urls import path

from clients.wounds.api import views

urlpatterns = [
    path("clients/<uuid:id>/wounds/", views.WoundListApi.as_view(), name="api-client-wounds"),
    path(
        "wounds/<uuid:id>/assessments/",
        views.WoundAssessmentApi.as_view(),
        name="api-wound-assessments",
    ),
    path("wounds/<uuid:id>/close/", views.WoundCloseApi.as_view(), name="api-wound-close"),
    path(
        "wound-assessments/<uuid:id>/photos/",
        views.WoundPhotoUploadApi.as_view(),
        name="api-wound-photo-upload",
    ),
    path("wound-photos/<uuid:id>/", views.WoundPhotoFileApi.as_view(), name="api-wound-photo"),
]
