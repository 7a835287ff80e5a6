"""API for indication hours (issue 16, item 3): the same read services as the pages."""

from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from scheduling import reads
from scheduling.api.views import READERS, _caller


class WeekHoursOutput(serializers.Serializer):
    monday = serializers.DateField()
    indicated = serializers.DecimalField(max_digits=7, decimal_places=2)
    delivered = serializers.DecimalField(max_digits=7, decimal_places=2)
    percent = serializers.IntegerField(allow_null=True)
    level = serializers.ChoiceField(choices=["ok", "near", "over", "none"])


class ClientHoursOutput(serializers.Serializer):
    client = serializers.UUIDField(source="client.public_id")
    weeks = WeekHoursOutput(many=True)


class EndingIndicationOutput(serializers.Serializer):
    client = serializers.UUIDField(source="client.public_id")
    products = serializers.CharField()
    hours_per_week = serializers.DecimalField(max_digits=5, decimal_places=2)
    valid_until = serializers.DateField()


class TeamHoursOutput(serializers.Serializer):
    team = serializers.UUIDField(source="team.public_id")
    monday = serializers.DateField()
    rows = ClientHoursOutput(many=True)
    ending = EndingIndicationOutput(many=True)


class ClientHoursApi(APIView):
    """Hours delivered against indicated for one client, the last 8 weeks (newest first)."""

    permission_classes = [READERS]

    @extend_schema(responses={200: ClientHoursOutput})
    def get(self, request: Request, id: UUID) -> Response:  # noqa: A002
        hours = reads.client_hours_read(actor=_caller(request), public_id=id)
        return Response(ClientHoursOutput(hours).data)


class TeamHoursApi(APIView):
    """This week's hours per active client of the team, and indications ending within 4 weeks."""

    permission_classes = [READERS]

    @extend_schema(responses={200: TeamHoursOutput})
    def get(self, request: Request, id: UUID) -> Response:  # noqa: A002
        hours = reads.team_hours_read(actor=_caller(request), team_public_id=id)
        return Response(TeamHoursOutput(hours).data)
