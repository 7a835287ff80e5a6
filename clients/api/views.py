"""Client record API. Same selectors and services as the pages; one audit row per request.

Anything the caller may not see, or may not do, answers 404 (never 403), so the existence of
a record does not leak. Back office gets administrative fields only; no clinical endpoints.
"""

from typing import Any
from uuid import UUID

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from buurtzorg.audit.models import Action
from buurtzorg.audit.services import audit_record
from clients import services
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
from clients.models import Client, ClientProblem
from clients.selectors import (
    client_get_editable,
    client_get_visible,
    client_interventions,
    client_problems,
    client_ratings,
    client_search,
    user_reads_clinical,
)
from clients.services import SignInput
from teams.models import Role

RECORD_ROLES = (Role.NURSE, Role.COACH, Role.BACK_OFFICE)


def _require_record_role(request: Request) -> None:
    if request.user.role not in RECORD_ROLES:
        raise NotFound


def _clinical_client(request: Request, public_id: UUID, *, edit: bool = False) -> Client:
    """A client whose clinical content the caller may read (or, with edit, change)."""
    _require_record_role(request)
    if edit:
        return client_get_editable(user=request.user, public_id=public_id)
    client = client_get_visible(user=request.user, public_id=public_id)
    if not user_reads_clinical(user=request.user):
        raise NotFound
    return client


def _client_problem(client: Client, public_id: UUID) -> ClientProblem:
    client_problem = client.problems.filter(public_id=public_id).first()
    if client_problem is None:
        raise NotFound
    return client_problem


def _audit(
    request: Request, action: str, client: Client | None, part: str, detail: str = ""
) -> None:
    audit_record(
        request=request._request,
        action=action,
        client_public_id=client.public_id if client else None,
        part=part,
        detail=detail,
    )


class ClientListApi(generics.GenericAPIView):
    """Clients the caller may see (back office: administrative fields only)."""

    serializer_class = ClientOutput

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
        # Not atomic: the only write is the audit row (see clients.views on reading pages).
        _require_record_role(request)
        params = request.query_params
        query, state, problem = params.get("q", ""), params.get("status", ""), ""
        clinical = user_reads_clinical(user=request.user)
        if clinical:
            problem = params.get("problem", "")
        clients = client_search(
            user=request.user, query=query[:80], status=state, problem_code=problem[:2]
        )
        page = self.paginate_queryset(clients)
        output = ClientOutput if clinical else ClientAdminOutput
        _audit(
            request,
            Action.LIST,
            None,
            "client-list",
            f"api q={query[:80]!r} status={state!r} problem={problem[:2]!r}",
        )
        return self.get_paginated_response(output(page, many=True).data)

    @extend_schema(request=ClientInput, responses={201: ClientDetailOutput})
    @transaction.atomic
    def post(self, request: Request) -> Response:
        if request.user.role != Role.NURSE:
            raise NotFound
        data = ClientInput(data=request.data)
        data.is_valid(raise_exception=True)
        client = services.client_register(actor=request.user, **data.validated_data)
        _audit(request, Action.CREATE, client, "registration", "api")
        return Response(ClientDetailOutput(client).data, status=status.HTTP_201_CREATED)


class ClientDetailApi(generics.GenericAPIView):
    serializer_class = ClientDetailOutput

    @extend_schema(responses={200: ClientDetailOutput})
    @transaction.atomic
    def get(self, request: Request, id: UUID) -> Response:  # noqa: A002
        _require_record_role(request)
        client = client_get_visible(user=request.user, public_id=id)
        clinical = user_reads_clinical(user=request.user)
        output = ClientDetailOutput if clinical else ClientAdminDetailOutput
        _audit(request, Action.VIEW, client, "record" if clinical else "administrative", "api")
        return Response(output(client).data)

    @extend_schema(request=ClientUpdateInput, responses={200: ClientDetailOutput})
    @transaction.atomic
    def patch(self, request: Request, id: UUID) -> Response:  # noqa: A002
        client = _clinical_client(request, id, edit=True)
        data = ClientUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        client = services.client_update(client=client, actor=request.user, **data.validated_data)
        _audit(request, Action.UPDATE, client, "personal-details", "api")
        return Response(ClientDetailOutput(client).data)


class ClientProblemListApi(generics.GenericAPIView):
    """The Omaha problems of a client, with modifiers and signs/symptoms."""

    serializer_class = ClientProblemOutput
    pagination_class = None

    @extend_schema(responses={200: ClientProblemOutput(many=True)})
    @transaction.atomic
    def get(self, request: Request, id: UUID) -> Response:  # noqa: A002
        client = _clinical_client(request, id)
        problems = client_problems(client=client)
        _audit(request, Action.VIEW, client, "problems", "api")
        return Response(ClientProblemOutput(problems, many=True).data)

    @extend_schema(request=ClientProblemInput, responses={201: ClientProblemOutput})
    @transaction.atomic
    def post(self, request: Request, id: UUID) -> Response:  # noqa: A002
        client = _clinical_client(request, id, edit=True)
        data = ClientProblemInput(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = dict(data.validated_data)
        values["signs"] = [SignInput(**s) for s in values.get("signs", [])]
        client_problem = services.client_problem_add(client=client, actor=request.user, **values)
        _audit(request, Action.CREATE, client, "problem", f"api {client_problem.problem.code}")
        created = client_problems(client=client).get(pk=client_problem.pk)
        return Response(ClientProblemOutput(created).data, status=status.HTTP_201_CREATED)


class InterventionListApi(generics.GenericAPIView):
    """The care plan: interventions of every problem of a client."""

    serializer_class = ClientInterventionOutput
    pagination_class = None

    @extend_schema(responses={200: ClientInterventionOutput(many=True)})
    @transaction.atomic
    def get(self, request: Request, id: UUID) -> Response:  # noqa: A002
        client = _clinical_client(request, id)
        _audit(request, Action.VIEW, client, "care-plan", "api")
        interventions = client_interventions(client=client)
        return Response(ClientInterventionOutput(interventions, many=True).data)

    @extend_schema(request=ClientInterventionInput, responses={201: ClientInterventionOutput})
    @transaction.atomic
    def post(self, request: Request, id: UUID) -> Response:  # noqa: A002
        client = _clinical_client(request, id, edit=True)
        data = ClientInterventionInput(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = dict(data.validated_data)
        client_problem = _client_problem(client, values.pop("client_problem"))
        intervention = services.intervention_add(
            client_problem=client_problem, actor=request.user, **values
        )
        _audit(request, Action.CREATE, client, "intervention", f"api {client_problem.problem.code}")
        return Response(ClientInterventionOutput(intervention).data, status=status.HTTP_201_CREATED)


class RatingListApi(generics.GenericAPIView):
    """Outcome ratings (Knowledge/Behavior/Status 1-5) over time; append-only."""

    serializer_class = ClientRatingOutput
    pagination_class = None

    @extend_schema(responses={200: ClientRatingOutput(many=True)})
    @transaction.atomic
    def get(self, request: Request, id: UUID) -> Response:  # noqa: A002
        client = _clinical_client(request, id)
        _audit(request, Action.VIEW, client, "ratings", "api")
        return Response(ClientRatingOutput(client_ratings(client=client), many=True).data)

    @extend_schema(request=ClientRatingInput, responses={201: ClientRatingOutput})
    @transaction.atomic
    def post(self, request: Request, id: UUID) -> Response:  # noqa: A002
        client = _clinical_client(request, id, edit=True)
        data = ClientRatingInput(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = dict(data.validated_data)
        client_problem = _client_problem(client, values.pop("client_problem"))
        rating = services.outcome_rating_add(
            client_problem=client_problem, actor=request.user, **values
        )
        _audit(request, Action.CREATE, client, "rating", f"api {client_problem.problem.code}")
        return Response(ClientRatingOutput(rating).data, status=status.HTTP_201_CREATED)


class ClientExportApi(generics.GenericAPIView):
    """The whole Omaha record as a FHIR-style Bundle, coded in the HL7 Omaha System."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @transaction.atomic
    def get(self, request: Request, id: UUID) -> Response:  # noqa: A002
        _require_record_role(request)
        return Response(services.client_record_export(request=request._request, public_id=id))
