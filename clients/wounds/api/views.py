"""Wounds API: the same reads and services as the pages (each logs one access row). Nurses and
coaches of the client's team read; her nurses write; anyone else gets 404."""

from uuid import UUID

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from clients.selectors import client_get_editable
from clients.wounds import reads, services
from clients.wounds.api.serializers import (
    WoundAssessmentInput,
    WoundAssessmentOutput,
    WoundCloseInput,
    WoundInput,
    WoundOutput,
    WoundPhotoInput,
    WoundPhotoOutput,
)
from clients.wounds.views import photo_response
from teams.http import signed_in_user
from teams.models import Role, User


def _clinical_user(request: Request) -> User:
    user = signed_in_user(request)
    if user.role not in (Role.NURSE, Role.COACH):
        raise NotFound
    return user


class WoundListApi(generics.GenericAPIView):
    """A client's wounds with their assessments; POST records a new wound."""

    serializer_class = WoundOutput
    pagination_class = None

    @extend_schema(responses={200: WoundOutput(many=True)})
    def get(self, request: Request, id: UUID) -> Response:  # noqa: A002
        listing = reads.wound_list_read(actor=_clinical_user(request), public_id=id)
        return Response(WoundOutput(listing.wounds, many=True).data)

    @extend_schema(request=WoundInput, responses={201: WoundOutput})
    def post(self, request: Request, id: UUID) -> Response:  # noqa: A002
        user = _clinical_user(request)
        client = client_get_editable(user=user, public_id=id)
        data = WoundInput(data=request.data)
        data.is_valid(raise_exception=True)
        wound = services.wound_open(client=client, actor=user, **data.validated_data)
        return Response(WoundOutput(wound).data, status=status.HTTP_201_CREATED)


class WoundAssessmentApi(generics.GenericAPIView):
    """Add an assessment to an open wound (photos: POST them to the assessment's photos)."""

    serializer_class = WoundAssessmentOutput

    @extend_schema(request=WoundAssessmentInput, responses={201: WoundAssessmentOutput})
    def post(self, request: Request, id: UUID) -> Response:  # noqa: A002
        user = _clinical_user(request)
        wound = reads.wound_get_editable(user=user, public_id=id)
        data = WoundAssessmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        assessment = services.wound_assess(wound=wound, actor=user, **data.validated_data)
        return Response(WoundAssessmentOutput(assessment).data, status=status.HTTP_201_CREATED)


class WoundCloseApi(generics.GenericAPIView):
    serializer_class = WoundOutput

    @extend_schema(request=WoundCloseInput, responses={200: WoundOutput})
    def post(self, request: Request, id: UUID) -> Response:  # noqa: A002
        user = _clinical_user(request)
        wound = reads.wound_get_editable(user=user, public_id=id)
        data = WoundCloseInput(data=request.data)
        data.is_valid(raise_exception=True)
        wound = services.wound_close(wound=wound, actor=user, **data.validated_data)
        return Response(WoundOutput(wound).data)


class WoundPhotoUploadApi(generics.GenericAPIView):
    """Upload a photo to an assessment: multipart, checked by content, metadata removed."""

    serializer_class = WoundPhotoOutput
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": WoundPhotoInput}, responses={201: WoundPhotoOutput}
    )
    def post(self, request: Request, id: UUID) -> Response:  # noqa: A002
        user = _clinical_user(request)
        assessment = reads.assessment_get_editable(user=user, public_id=id)
        data = WoundPhotoInput(data=request.data)
        data.is_valid(raise_exception=True)
        photos = services.photo_add(
            assessment=assessment, actor=user, photos=[data.validated_data["photo"]]
        )
        return Response(WoundPhotoOutput(photos[0]).data, status=status.HTTP_201_CREATED)


class WoundPhotoFileApi(generics.GenericAPIView):
    """The photo's bytes (image/jpeg, image/png or image/webp), with nosniff and no-store."""

    @extend_schema(responses={(200, "image/*"): OpenApiTypes.BINARY})
    def get(self, request: Request, id: UUID) -> object:  # noqa: A002
        photo, data = reads.photo_read(actor=_clinical_user(request), public_id=id)
        return photo_response(photo, data)
