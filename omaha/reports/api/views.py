from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from buurtzorg.access import has_role
from omaha.reports import selectors, services
from omaha.reports.api.serializers import ReportInput, ReportOutput
from omaha.reports.models import OutcomeReport


class ReportPermission(has_role(*selectors.REPORT_ROLES)):
    def has_permission(self, request: Request, view: APIView) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if not super().has_permission(request, view):
            raise NotFound
        return True


class ReportListApi(generics.ListAPIView):
    """Outcome reports the user may see. POST asks for a new one (built by a Celery job)."""

    serializer_class = ReportOutput
    permission_classes = [ReportPermission]

    def get_queryset(self) -> QuerySet[OutcomeReport]:
        return selectors.report_list_visible(user=self.request.user)

    @extend_schema(request=ReportInput, responses={201: ReportOutput})
    def post(self, request: Request) -> Response:
        data = ReportInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        report = services.outcome_report_request(actor=request.user, **data.validated_data)
        report.refresh_from_db()
        return Response(
            ReportOutput(report, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ReportDetailApi(generics.RetrieveAPIView):
    serializer_class = ReportOutput
    permission_classes = [ReportPermission]

    def get_object(self) -> OutcomeReport:
        return selectors.report_get_visible(user=self.request.user, public_id=self.kwargs["id"])
