"""Messaging API: the same selectors gate it as the pages (nothing visible → empty or 404)."""

from typing import cast
from uuid import UUID

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from coaching import selectors, services
from coaching.api.serializers import (
    PeriodInput,
    PostInput,
    PostOutput,
    SpaceOutput,
    TeamFiguresOutput,
    ThreadInput,
    ThreadOutput,
)
from coaching.figures import team_figures
from coaching.models import Post, Space, Thread
from teams.models import User

PARSERS = [JSONParser, MultiPartParser, FormParser]


def _user(request: Request) -> User:
    """The signed-in user: the default permission (IsAuthenticated) lets no anonymous request
    through."""
    return cast(User, request.user)


class SpaceListApi(generics.ListAPIView):
    """Spaces the caller may enter, with her unread counts."""

    serializer_class = SpaceOutput

    def get_queryset(self) -> QuerySet[Space]:
        return selectors.space_list_with_unread(user=_user(self.request))


class ThreadListApi(generics.ListAPIView):
    """Threads in visible spaces, newest activity first; `?space=<id>` narrows to one space.
    POST starts a thread (JSON or multipart with `files`)."""

    serializer_class = ThreadOutput
    parser_classes = PARSERS

    def get_queryset(self) -> QuerySet[Thread]:
        threads = (
            selectors.thread_list_visible(user=_user(self.request))
            .prefetch_related("problems")
            .order_by("-last_post_at", "-id")
        )
        space = self.request.query_params.get("space")
        if space:
            threads = threads.filter(space__public_id=space)
        problem = self.request.query_params.get("problem")
        if problem:
            threads = threads.filter(problems__code=problem)
        return threads

    @extend_schema(
        parameters=[
            OpenApiParameter("space", str, description="space id"),
            OpenApiParameter("problem", str, description="Omaha problem code, e.g. 42"),
        ],
    )
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=ThreadInput, responses={201: ThreadOutput})
    def post(self, request: Request) -> Response:
        # The space resolves among the caller's visible spaces (400 otherwise, one message for
        # "not yours" and "no such space"); the service checks again.
        data = ThreadInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        thread = services.thread_start(author=_user(request), **data.validated_data)
        return Response(ThreadOutput(thread).data, status=status.HTTP_201_CREATED)


class ThreadPostListApi(generics.ListAPIView):
    """Posts of a visible thread, oldest first (paginated).
    POST replies (JSON, or multipart with `files`)."""

    serializer_class = PostOutput
    parser_classes = PARSERS

    def get_queryset(self) -> QuerySet[Post]:
        thread = selectors.thread_get_visible(user=_user(self.request), public_id=self.kwargs["id"])
        return selectors.post_list_for_thread(thread=thread)

    @extend_schema(request=PostInput, responses={201: PostOutput})
    def post(self, request: Request, id: UUID) -> Response:  # noqa: A002
        thread = selectors.thread_get_visible(user=_user(request), public_id=id)
        data = PostInput(data=request.data)
        data.is_valid(raise_exception=True)
        post = services.post_reply(thread=thread, author=_user(request), **data.validated_data)
        return Response(PostOutput(post).data, status=status.HTTP_201_CREATED)


class TeamFiguresApi(APIView):
    """Figures of one team for `?start=YYYY-MM-DD&end=YYYY-MM-DD` (both included), each with
    its one-line definition. Coaches see their teams, nurses their own; others get 404."""

    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, required=True),
            OpenApiParameter("end", OpenApiTypes.DATE, required=True),
        ],
        responses={200: TeamFiguresOutput},
    )
    def get(self, request: Request, id: UUID) -> Response:  # noqa: A002
        team = selectors.figures_team_get_visible(user=_user(request), public_id=id)
        period = PeriodInput(data=request.query_params)
        period.is_valid(raise_exception=True)
        (figures,) = team_figures(teams=[team], **period.validated_data)
        return Response(TeamFiguresOutput(figures.as_dict()).data)
