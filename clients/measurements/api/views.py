"""Measurements API: the same reads and services as the pages (each logs one access row).
Nurses and coaches of the client's team read; her nurses record; anyone else gets 404."""

from uuid import UUID

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from clients.measurements import reads, services
from clients.measurements.api.serializers import MeasurementInput, MeasurementOutput
from clients.selectors import client_get_editable
from teams.http import signed_in_user
from teams.models import Role, User


def _clinical_user(request: Request) -> User:
    user = signed_in_user(request)
    if user.role not in (Role.NURSE, Role.COACH):
        raise NotFound
    return user


class MeasurementListApi(generics.GenericAPIView):
    """A client's measurements, newest first; POST records one (flagged when outside the
    client's normal range; impossible values answer 400 with the field's message)."""

    serializer_class = MeasurementOutput
    pagination_class = None

    @extend_schema(
        parameters=[OpenApiParameter("kind", str, description="only this kind")],
        responses={200: MeasurementOutput(many=True)},
    )
    def get(self, request: Request, id: UUID) -> Response:  # noqa: A002
        user = _clinical_user(request)
        vitals = reads.measurements_read(
            actor=user, public_id=id, kind=request.query_params.get("kind", "")
        )
        return Response(MeasurementOutput(vitals.rows, many=True).data)

    @extend_schema(request=MeasurementInput, responses={201: MeasurementOutput})
    def post(self, request: Request, id: UUID) -> Response:  # noqa: A002
        user = _clinical_user(request)
        client = client_get_editable(user=user, public_id=id)
        data = MeasurementInput(data=request.data)
        data.is_valid(raise_exception=True)
        measurement = services.measurement_record(client=client, actor=user, **data.validated_data)
        return Response(MeasurementOutput(measurement).data, status=status.HTTP_201_CREATED)
