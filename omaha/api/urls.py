from django.urls import path

from omaha.api import views

urlpatterns = [
    path("omaha/problems/", views.ProblemListApi.as_view(), name="api-omaha-problems"),
    path("omaha/targets/", views.InterventionTargetListApi.as_view(), name="api-omaha-targets"),
    path(
        "omaha/categories/",
        views.InterventionCategoryListApi.as_view(),
        name="api-omaha-categories",
    ),
]
