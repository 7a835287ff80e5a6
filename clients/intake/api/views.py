"""Back office API for intake requests: list the open ones, resolve one."""

from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from buurtzorg.access import has_role
from clients.intake import reads
from clients.intake.api.serializers import IntakeRequestOutput, IntakeResolveInput
from clients.intake.services import intake_request_resolve
from teams.http import signed_in_user
from teams.models import Role


class BackOfficeOnly(BasePermission):
    """Back office only; other signed-in users get 404, like for anything they may not see."""

    role_permission = has_role(Role.BACK_OFFICE)()

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if not self.role_permission.has_permission(request, view):
            raise NotFound
        return True


class IntakeRequestListApi(generics.GenericAPIView):
    serializer_class = IntakeRequestOutput
    permission_classes = [BackOfficeOnly]
    pagination_class = None

    @extend_schema(responses={200: IntakeRequestOutput(many=True)})
    def get(self, request: Request) -> Response:
        rows = reads.intake_request_list_read(actor=signed_in_user(request))
        return Response(IntakeRequestOutput(rows, many=True).data)


class IntakeRequestResolveApi(generics.GenericAPIView):
    serializer_class = IntakeResolveInput
    permission_classes = [BackOfficeOnly]

    @extend_schema(request=IntakeResolveInput, responses={200: IntakeRequestOutput})
    def post(self, request: Request, id: UUID) -> Response:  # noqa: A002
        user = signed_in_user(request)
        intake = reads.intake_request_get(actor=user, public_id=id)
        data = IntakeResolveInput(data=request.data)
        data.is_valid(raise_exception=True)
        intake = intake_request_resolve(request=intake, actor=user, **data.validated_data)
        return Response(IntakeRequestOutput(intake).data)
