"""Outcome reports API: the same gate and read services as the pages.

A report's `result` holds a per-client report's client rows, so the list and the detail read
through `omaha.reports.reads` (gate, one access row when client rows are shown, data); these
views only shape the answer.
"""

from typing import cast
from uuid import UUID

from django.core.paginator import InvalidPage
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from buurtzorg.access import has_role
from omaha.reports import reads, selectors, services
from omaha.reports.api.serializers import ReportInput, ReportOutput
from omaha.reports.models import OutcomeReport
from teams.models import User


class ReportPermission(BasePermission):
    """Report roles only. Other signed-in users get 404, like for anything they may not see."""

    # The kernel's role check, held rather than subclassed: `has_role` makes its class at
    # run time, which a type checker cannot use as a base.
    role_permission = has_role(*selectors.REPORT_ROLES)()

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if not self.role_permission.has_permission(request, view):
            raise NotFound
        return True


def _user(request: Request) -> User:
    """The signed-in user: ReportPermission lets no anonymous request through."""
    return cast(User, request.user)


class ReportListApi(generics.ListAPIView):
    """Outcome reports the user may see. POST asks for a new one (built by a Celery job)."""

    serializer_class = ReportOutput
    permission_classes = [ReportPermission]
    # For the schema only: GET reads through `reads.report_list_read`.
    queryset = OutcomeReport.objects.none()

    def list(self, request: Request, *args: object, **kwargs: object) -> Response:
        pagination = cast(PageNumberPagination, self.paginator)
        number = request.query_params.get(pagination.page_query_param) or 1
        try:
            listing = reads.report_list_read(
                actor=_user(request),
                page=number,
                per_page=pagination.get_page_size(request) or pagination.page_size or 1,
            )
        except InvalidPage as exc:
            message = pagination.invalid_page_message.format(page_number=number, message=exc)
            raise NotFound(message) from exc
        # DRF's page-number links and count, for the page the read service cut and logged.
        pagination.page, pagination.request = listing.page, request
        return self.get_paginated_response(self.get_serializer(listing.rows, many=True).data)

    @extend_schema(request=ReportInput, responses={201: ReportOutput})
    def post(self, request: Request) -> Response:
        data = ReportInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        report = services.outcome_report_request(actor=_user(request), **data.validated_data)
        # Read back through the gate: where the build already ran (eager Celery) the result
        # may hold client rows, and showing them is logged like any other read.
        report = reads.report_open(actor=_user(request), public_id=report.public_id)
        return Response(
            ReportOutput(report, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ReportDetailApi(generics.GenericAPIView):
    serializer_class = ReportOutput
    permission_classes = [ReportPermission]
    # For the schema only: GET reads through `reads.report_open`.
    queryset = OutcomeReport.objects.none()

    def get(self, request: Request, id: UUID) -> Response:  # noqa: A002
        report = reads.report_open(actor=_user(request), public_id=id)
        return Response(self.get_serializer(report).data)
