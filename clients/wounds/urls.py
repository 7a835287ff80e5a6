from django.urls import path

from clients.wounds import views

app_name = "wounds"

urlpatterns = [
    path("client/<uuid:public_id>/", views.wound_list, name="list"),
    path("client/<uuid:public_id>/add/", views.wound_add, name="add"),
    path("<uuid:public_id>/", views.wound_detail, name="detail"),
    path("<uuid:public_id>/assess/", views.wound_assess, name="assess"),
    path("<uuid:public_id>/close/", views.wound_close, name="close"),
    path("photos/<uuid:public_id>/", views.photo_file, name="photo"),
    path("photos/<uuid:public_id>/thumbnail/", views.photo_thumbnail, name="photo-thumbnail"),
]
