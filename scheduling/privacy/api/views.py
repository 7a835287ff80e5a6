"""Privacy request register API (back office and administrators): thin adapters."""

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from buurtzorg.access import has_role
from scheduling.privacy import register
from scheduling.privacy.api.serializers import (
    PrivacyRequestDetailOutput,
    PrivacyRequestHandleInput,
    PrivacyRequestInput,
    PrivacyRequestOutput,
)

REGISTER = has_role(*register.REGISTER_ROLES)


def _api_error(exc: ValidationError) -> ApiValidationError:
    return ApiValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)


def _detail(row: register.RequestView) -> dict[str, Any]:
    data = PrivacyRequestOutput(row.request, context={"today": timezone.localdate()}).data
    return {**data, "retention": [vars(h) for h in row.holds]}


class PrivacyRequestsApi(APIView):
    """The register (GET, open first by deadline) and recording a request (POST)."""

    permission_classes = [REGISTER]

    @extend_schema(responses={200: PrivacyRequestOutput(many=True)})
    def get(self, request: Request) -> Response:
        rows = register.privacy_register_read(actor=request.user)
        context = {"today": timezone.localdate()}
        return Response(
            PrivacyRequestOutput([r.request for r in rows], many=True, context=context).data
        )

    @extend_schema(request=PrivacyRequestInput, responses={201: PrivacyRequestDetailOutput})
    def post(self, request: Request) -> Response:
        data = PrivacyRequestInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            created = register.privacy_request_record(
                actor=request.user,
                client_public_id=values["client"],
                kind=values["kind"],
                requested_on=values["requested_on"],
                note=values["note"],
            )
        except Http404 as exc:
            raise ApiValidationError({"client": ["No client with this ID."]}) from exc
        except ValidationError as exc:
            raise _api_error(exc) from exc
        row = register.RequestView(
            request=created, holds=[], overdue=created.is_overdue(timezone.localdate())
        )
        return Response(_detail(row), status=status.HTTP_201_CREATED)


class PrivacyRequestApi(APIView):
    """One request with what must be kept of its client (GET)."""

    permission_classes = [REGISTER]

    @extend_schema(responses={200: PrivacyRequestDetailOutput})
    def get(self, request: Request, id: UUID) -> Response:  # noqa: A002
        return Response(_detail(register.privacy_request_read(actor=request.user, public_id=id)))


class PrivacyRequestHandleApi(APIView):
    """Handle a request; an erasure is checked against the legal retention (POST)."""

    permission_classes = [REGISTER]

    @extend_schema(request=PrivacyRequestHandleInput, responses={200: PrivacyRequestOutput})
    def post(self, request: Request, id: UUID) -> Response:  # noqa: A002
        data = PrivacyRequestHandleInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            handled = register.privacy_request_handle(
                actor=request.user, public_id=id, **data.validated_data
            )
        except ValidationError as exc:
            raise _api_error(exc) from exc
        return Response(PrivacyRequestOutput(handled, context={"today": timezone.localdate()}).data)
