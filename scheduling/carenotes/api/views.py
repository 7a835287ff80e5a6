import datetime as dt
from typing import cast
from uuid import UUID

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from buurtzorg.access import has_role
from scheduling.carenotes import reads, services
from scheduling.carenotes.api.serializers import (
    CareReportEditInput,
    CareReportInput,
    CareReportOutput,
    CareReportPageOutput,
    HandoverOutput,
    HandoverReadInput,
)
from scheduling.carenotes.selectors import report_get_for_client
from teams.models import Role, User

READERS = has_role(Role.NURSE, Role.COACH)
NURSES = has_role(Role.NURSE)
UNKNOWN_PROBLEM = "No such problem for this client."


def _caller(request: Request) -> User:
    """Every view sits behind READERS or NURSES, which refuse anonymous callers first."""
    return cast(User, request.user)


def _date(raw: str | None, name: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError as exc:
        raise ApiValidationError({name: ["Use YYYY-MM-DD."]}) from exc


class ClientReportsApi(APIView):
    """A client's reports, newest first (GET, filtered, paged by `before` cursor); POST writes
    one (nurses of the client's team), optionally with a KBS rating of its problem."""

    def get_permissions(self) -> list:
        return [NURSES()] if self.request.method == "POST" else [READERS()]

    @extend_schema(
        parameters=[
            OpenApiParameter("problem", str, description='client problem id, or "general"'),
            OpenApiParameter("author", str, description="nurse id"),
            OpenApiParameter("start", str, description="from this local day (YYYY-MM-DD)"),
            OpenApiParameter("end", str, description="until this local day, inclusive"),
            OpenApiParameter("q", str, description="words in the report"),
            OpenApiParameter("before", str, description="next_cursor of the previous page"),
        ],
        responses={200: CareReportPageOutput},
    )
    def get(self, request: Request, id: UUID) -> Response:  # noqa: A002
        params = request.query_params
        timeline = reads.client_timeline_read(
            actor=_caller(request),
            public_id=id,
            problem=params.get("problem", ""),
            author=params.get("author", ""),
            start=_date(params.get("start"), "start"),
            end=_date(params.get("end"), "end"),
            query=params.get("q", "")[:100],
            cursor=params.get("before", ""),
            with_choices=False,
        )
        return Response(
            {
                "results": CareReportOutput(timeline.reports, many=True).data,
                "next_cursor": timeline.next_cursor,
            }
        )

    @extend_schema(request=CareReportInput, responses={201: CareReportOutput})
    def post(self, request: Request, id: UUID) -> Response:  # noqa: A002
        data = CareReportInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        gate = reads.report_form_get(
            actor=_caller(request), public_id=id, visit_id=values.pop("visit", None)
        )
        problem_id = values.pop("problem", None)
        problem = None
        if problem_id:
            problem = next((p for p in gate.problems if p.public_id == problem_id), None)
            if problem is None:
                raise ApiValidationError({"problem": [UNKNOWN_PROBLEM]})
        rating = {p: values.pop(p, None) for p in ("knowledge", "behavior", "status")}
        report = services.care_report_write(
            client=gate.client,
            actor=_caller(request),
            visit=gate.visit,
            client_problem=problem,
            rating=rating,
            **values,
        )
        return Response(CareReportOutput(report).data, status=status.HTTP_201_CREATED)


class ClientReportApi(APIView):
    """POST changes her report: in place within 15 minutes of storing it, else a new entry that
    replaces it (201 then, with the new entry)."""

    permission_classes = [NURSES]

    @extend_schema(
        operation_id="clients_reports_revise",
        request=CareReportEditInput,
        responses={200: CareReportOutput, 201: CareReportOutput},
    )
    def post(self, request: Request, id: UUID, report_id: UUID) -> Response:  # noqa: A002
        gate = reads.report_form_get(actor=_caller(request), public_id=id)
        report = report_get_for_client(client=gate.client, public_id=report_id)
        data = CareReportEditInput(data=request.data)
        data.is_valid(raise_exception=True)
        saved = services.care_report_revise(
            report=report, actor=_caller(request), **data.validated_data
        )
        code = status.HTTP_200_OK if saved.pk == report.pk else status.HTTP_201_CREATED
        return Response(CareReportOutput(saved).data, status=code)


class HandoverApi(APIView):
    """The handover of the caller's team (nurses): items since her shift began, or `since`."""

    permission_classes = [NURSES]

    @extend_schema(
        parameters=[OpenApiParameter("since", str, enum=list(reads.SINCE_CHOICES))],
        responses={200: HandoverOutput},
    )
    def get(self, request: Request) -> Response:
        handover = reads.handover_read(
            actor=_caller(request), since=request.query_params.get("since", "shift")
        )
        items = [
            {**item.__dict__, "read": item.key in handover.read_keys} for item in handover.items
        ]
        return Response(
            HandoverOutput({"team": handover.team, "since": handover.since, "items": items}).data
        )


class HandoverReadApi(APIView):
    """Mark one handover item read (idempotent)."""

    permission_classes = [NURSES]

    @extend_schema(request=HandoverReadInput, responses={204: None})
    def post(self, request: Request) -> Response:
        data = HandoverReadInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.handover_mark_read(actor=_caller(request), item_key=data.validated_data["key"])
        return Response(status=status.HTTP_204_NO_CONTENT)
