"""Incident API: the same read and write services as the pages."""

from typing import cast

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from buurtzorg.access import has_role
from coaching.incidents import reads, services
from coaching.incidents.api.serializers import IncidentInput, IncidentOutput, TeamTrendOutput
from teams.models import Role, User


class IncidentListApi(generics.GenericAPIView):
    """The incidents of the caller's team (nurses only); POST files a new report."""

    permission_classes = [has_role(Role.NURSE)]
    serializer_class = IncidentOutput
    pagination_class = None  # a team's reports: a short list, served whole

    @extend_schema(responses={200: IncidentOutput(many=True)})
    def get(self, request: Request) -> Response:
        incidents = reads.incident_list_read(actor=cast(User, request.user))
        rows = incidents.prefetch_related("actions")
        return Response(IncidentOutput(rows, many=True).data)

    @extend_schema(request=IncidentInput, responses={201: IncidentOutput})
    def post(self, request: Request) -> Response:
        data = IncidentInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        incident = services.incident_file(
            actor=cast(User, request.user),
            kind=values["kind"],
            occurred_on=values["occurred_on"],
            description=values["description"],
            client_public_id=values.get("client"),
            show_author=values["show_author"],
        )
        return Response(IncidentOutput(incident).data, status=status.HTTP_201_CREATED)


class IncidentTrendsApi(APIView):
    """Counts per team and month for the coach's teams (no client, no author)."""

    permission_classes = [has_role(Role.COACH)]

    @extend_schema(responses={200: TeamTrendOutput(many=True)})
    def get(self, request: Request) -> Response:
        trends = reads.incident_trends_read(
            actor=cast(User, request.user), today=timezone.localdate()
        )
        return Response(TeamTrendOutput(trends, many=True).data)
