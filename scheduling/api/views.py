from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from buurtzorg.access import has_role
from scheduling import services
from scheduling.api.serializers import CoverageOutput, CoverageQuery, ShiftInput, ShiftOutput
from scheduling.models import Shift
from scheduling.selectors import (
    rota_can_edit,
    rota_team_get_visible,
    shift_get_visible,
    shift_list_visible,
)
from teams.models import Role

READERS = has_role(Role.NURSE, Role.COACH)


@extend_schema(
    parameters=[
        OpenApiParameter("team", str, description="team id"),
        OpenApiParameter("nurse", str, description="nurse id"),
        OpenApiParameter("start", str, description="shifts ending after (ISO datetime)"),
        OpenApiParameter("end", str, description="shifts starting before (ISO datetime)"),
    ]
)
class ShiftListApi(generics.ListAPIView):
    """Shifts of the teams the user may see. POST books a shift (the team's own nurses)."""

    serializer_class = ShiftOutput
    permission_classes = [READERS]

    def get_queryset(self) -> QuerySet[Shift]:
        shifts = shift_list_visible(user=self.request.user)
        params = self.request.query_params
        if params.get("team"):
            shifts = shifts.filter(team__public_id=params["team"])
        if params.get("nurse"):
            shifts = shifts.filter(nurse__public_id=params["nurse"])
        if params.get("start"):
            shifts = shifts.filter(ends_at__gt=params["start"])
        if params.get("end"):
            shifts = shifts.filter(starts_at__lt=params["end"])
        return shifts

    @extend_schema(request=ShiftInput, responses={201: ShiftOutput})
    def post(self, request: Request) -> Response:
        data = ShiftInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        team = values["team"]
        if not rota_can_edit(user=request.user, team=team):
            raise Http404
        shift = services.shift_create(actor=request.user, **values)
        return Response(ShiftOutput(shift).data, status=status.HTTP_201_CREATED)


class ShiftDetailApi(generics.RetrieveDestroyAPIView):
    serializer_class = ShiftOutput
    permission_classes = [READERS]

    def get_object(self) -> Shift:
        return shift_get_visible(user=self.request.user, public_id=self.kwargs["id"])

    @extend_schema(request=ShiftInput, responses={200: ShiftOutput})
    def put(self, request: Request, id: str) -> Response:  # noqa: A002
        shift = self.get_object()
        if not rota_can_edit(user=request.user, team=shift.team):
            raise Http404
        data = ShiftInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("team")
        shift = services.shift_update(shift=shift, actor=request.user, **values)
        return Response(ShiftOutput(shift).data)

    def perform_destroy(self, instance: Shift) -> None:
        if not rota_can_edit(user=self.request.user, team=instance.team):
            raise Http404
        services.shift_delete(shift=instance, actor=self.request.user)


class TeamCoverageApi(APIView):
    """Every uncovered or under-covered interval of the team in [start, end)."""

    permission_classes = [READERS]

    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, required=True, description="ISO datetime"),
            OpenApiParameter("end", str, required=True, description="ISO datetime"),
        ],
        responses={200: CoverageOutput},
    )
    def get(self, request: Request, id: str) -> Response:  # noqa: A002
        team = rota_team_get_visible(user=request.user, public_id=id)
        query = CoverageQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, end = query.validated_data["start"], query.validated_data["end"]
        gaps = services.coverage_gaps(team=team, start=start, end=end)
        return Response(
            CoverageOutput({"team": team.public_id, "start": start, "end": end, "gaps": gaps}).data
        )
