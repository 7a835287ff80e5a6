"""Read-only vocabulary API. Small, fixed lists: not paginated."""

from django.db.models import QuerySet
from rest_framework import generics

from omaha.api.serializers import (
    OmahaCategoryOutput,
    OmahaProblemOutput,
    OmahaTargetOutput,
)
from omaha.models import InterventionCategory, InterventionTarget, Problem
from omaha.selectors import category_list, problem_list, problem_search, target_list


class ProblemListApi(generics.ListAPIView):
    """The 42 problems in printed order, each with its signs/symptoms. `?q=` searches."""

    serializer_class = OmahaProblemOutput
    pagination_class = None

    def get_queryset(self) -> QuerySet[Problem]:
        query = self.request.query_params.get("q", "")
        return problem_search(query=query) if query else problem_list()


class InterventionTargetListApi(generics.ListAPIView):
    serializer_class = OmahaTargetOutput
    pagination_class = None

    def get_queryset(self) -> QuerySet[InterventionTarget]:
        return target_list(query=self.request.query_params.get("q", ""))


class InterventionCategoryListApi(generics.ListAPIView):
    serializer_class = OmahaCategoryOutput
    pagination_class = None

    def get_queryset(self) -> QuerySet[InterventionCategory]:
        return category_list()
