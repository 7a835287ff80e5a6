"""Client record API: thin adapters over the same reads and services as the pages.

Reads go through `clients.reads` and changes through `clients.services`; each logs the one
access row of its request. Anything the caller may not see, or may not do, answers 404 (never
403), so the existence of a record does not leak. Back office gets administrative fields only;
no clinical endpoints.
"""

from typing import Any, cast
from uuid import UUID

from django.core.paginator import InvalidPage, Page
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from clients import reads, services
from clients.api.serializers import (
    ClientAdminDetailOutput,
    ClientAdminOutput,
    ClientDetailOutput,
    ClientInput,
    ClientInterventionInput,
    ClientInterventionOutput,
    ClientOutput,
    ClientProblemInput,
    ClientProblemOutput,
    ClientRatingInput,
    ClientRatingOutput,
    ClientUpdateInput,
)
from clients.intake.api.serializers import IntakeSentOutput
from clients.intake.models import IntakeRequest
from clients.intake.services import SENT_TO_BACK_OFFICE
from clients.models import Client, ClientProblem
from clients.selectors import client_get_editable, client_problems
from clients.services import SignInput
from teams.http import signed_in_user
from teams.models import Role, User

RECORD_ROLES = (Role.NURSE, Role.COACH, Role.BACK_OFFICE)


def _record_user(request: Request) -> User:
    """The caller, if her role reads client records at all (404 otherwise)."""
    user = signed_in_user(request)
    if user.role not in RECORD_ROLES:
        raise NotFound
    return user


def _client_problem(client: Client, public_id: UUID) -> ClientProblem:
    client_problem = client.problems.filter(public_id=public_id).first()
    if client_problem is None:
        raise NotFound
    return client_problem


class ClientListApi(generics.GenericAPIView):
    """Clients the caller may see (back office: administrative fields only)."""

    serializer_class = ClientOutput
    pagination_class = PageNumberPagination  # the API's default, named for its page links

    @extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Name, postcode or BSN"),
            OpenApiParameter("status", OpenApiTypes.STR, enum=["active", "discharged"]),
            OpenApiParameter("problem", OpenApiTypes.STR, description="Active problem code"),
            OpenApiParameter("page", OpenApiTypes.INT),
        ],
        responses={200: ClientOutput(many=True)},
    )
    def get(self, request: Request) -> Response:
        user = _record_user(request)
        params = request.query_params
        pagination = cast(PageNumberPagination, self.paginator)  # pagination_class above
        number = params.get(pagination.page_query_param) or 1
        try:
            listing = reads.client_list_read(
                actor=user,
                query=params.get("q", "")[:80],
                status=params.get("status", ""),
                problem_code=params.get("problem", "")[:2],
                page=number,
                # None only without a PAGE_SIZE setting (there is one): the pages' size then
                per_page=pagination.get_page_size(request) or reads.PAGE_SIZE,
                strict=True,
                problem_names=False,
            )
        except InvalidPage as exc:
            message = pagination.invalid_page_message.format(page_number=number, message=exc)
            raise NotFound(message) from exc
        output = ClientOutput if listing.clinical else ClientAdminOutput
        # DRF's page-number links and count, for the page the read service cut and logged.
        # (a strict read is cut by Django's Paginator: a Page, with its count)
        pagination.page, pagination.request = cast(Page, listing.page), request
        return self.get_paginated_response(output(listing.rows, many=True).data)

    @extend_schema(request=ClientInput, responses={201: ClientDetailOutput, 202: IntakeSentOutput})
    def post(self, request: Request) -> Response:
        user = signed_in_user(request)
        if user.role != Role.NURSE:
            raise NotFound
        data = ClientInput(data=request.data)
        data.is_valid(raise_exception=True)
        client = services.client_register(actor=user, **data.validated_data)
        if isinstance(client, IntakeRequest):  # BSN in care elsewhere: nothing said where
            sent = {"status": "sent_to_back_office", "detail": str(SENT_TO_BACK_OFFICE)}
            return Response(IntakeSentOutput(sent).data, status=status.HTTP_202_ACCEPTED)
        return Response(ClientDetailOutput(client).data, status=status.HTTP_201_CREATED)


class ClientDetailApi(generics.GenericAPIView):
    serializer_class = ClientDetailOutput

    @extend_schema(responses={200: ClientDetailOutput})
    def get(self, request: Request, id: UUID) -> Response:  # noqa: A002
        user = _record_user(request)
        record = reads.client_detail_read(actor=user, public_id=id)
        output = ClientDetailOutput if record.clinical else ClientAdminDetailOutput
        return Response(output(record.client).data)

    @extend_schema(request=ClientUpdateInput, responses={200: ClientDetailOutput})
    def patch(self, request: Request, id: UUID) -> Response:  # noqa: A002
        user = _record_user(request)
        client = client_get_editable(user=user, public_id=id)  # its nurses only
        data = ClientUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        client = services.client_update(client=client, actor=user, **data.validated_data)
        return Response(ClientDetailOutput(client).data)


class ClientProblemListApi(generics.GenericAPIView):
    """The Omaha problems of a client, with modifiers and signs/symptoms."""

    serializer_class = ClientProblemOutput
    pagination_class = None

    @extend_schema(responses={200: ClientProblemOutput(many=True)})
    def get(self, request: Request, id: UUID) -> Response:  # noqa: A002
        user = _record_user(request)
        problems = reads.client_problems_read(actor=user, public_id=id)
        return Response(ClientProblemOutput(problems, many=True).data)

    @extend_schema(request=ClientProblemInput, responses={201: ClientProblemOutput})
    def post(self, request: Request, id: UUID) -> Response:  # noqa: A002
        user = _record_user(request)
        client = client_get_editable(user=user, public_id=id)  # its nurses only
        data = ClientProblemInput(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = dict(data.validated_data)
        values["signs"] = [SignInput(**s) for s in values.get("signs", [])]
        client_problem = services.client_problem_add(client=client, actor=user, **values)
        created = client_problems(client=client).get(pk=client_problem.pk)
        return Response(ClientProblemOutput(created).data, status=status.HTTP_201_CREATED)


class InterventionListApi(generics.GenericAPIView):
    """The care plan: interventions of every problem of a client."""

    serializer_class = ClientInterventionOutput
    pagination_class = None

    @extend_schema(responses={200: ClientInterventionOutput(many=True)})
    def get(self, request: Request, id: UUID) -> Response:  # noqa: A002
        user = _record_user(request)
        interventions = reads.care_plan_read(actor=user, public_id=id)
        return Response(ClientInterventionOutput(interventions, many=True).data)

    @extend_schema(request=ClientInterventionInput, responses={201: ClientInterventionOutput})
    def post(self, request: Request, id: UUID) -> Response:  # noqa: A002
        user = _record_user(request)
        client = client_get_editable(user=user, public_id=id)  # its nurses only
        data = ClientInterventionInput(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = dict(data.validated_data)
        client_problem = _client_problem(client, values.pop("client_problem"))
        intervention = services.intervention_add(
            client_problem=client_problem, actor=user, **values
        )
        return Response(ClientInterventionOutput(intervention).data, status=status.HTTP_201_CREATED)


class RatingListApi(generics.GenericAPIView):
    """Outcome ratings (Knowledge/Behavior/Status 1-5) over time; append-only."""

    serializer_class = ClientRatingOutput
    pagination_class = None

    @extend_schema(responses={200: ClientRatingOutput(many=True)})
    def get(self, request: Request, id: UUID) -> Response:  # noqa: A002
        user = _record_user(request)
        ratings = reads.client_ratings_read(actor=user, public_id=id)
        return Response(ClientRatingOutput(ratings, many=True).data)

    @extend_schema(request=ClientRatingInput, responses={201: ClientRatingOutput})
    def post(self, request: Request, id: UUID) -> Response:  # noqa: A002
        user = _record_user(request)
        client = client_get_editable(user=user, public_id=id)  # its nurses only
        data = ClientRatingInput(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = dict(data.validated_data)
        client_problem = _client_problem(client, values.pop("client_problem"))
        rating = services.outcome_rating_add(client_problem=client_problem, actor=user, **values)
        return Response(ClientRatingOutput(rating).data, status=status.HTTP_201_CREATED)


class ClientExportApi(generics.GenericAPIView):
    """The whole Omaha record as a FHIR-style Bundle, coded in the HL7 Omaha System."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, id: UUID) -> Response:  # noqa: A002
        user = _record_user(request)
        return Response(reads.client_record_export(actor=user, public_id=id))
