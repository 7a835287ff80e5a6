import datetime as dt
from typing import cast
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from buurtzorg.access import has_role
from buurtzorg.paging import KeysFirstPagination
from scheduling import reads, services
from scheduling.api.serializers import (
    CoverageOutput,
    CoverageQuery,
    DayVisitOutput,
    OfflineActionInput,
    OfflineActionOutput,
    OfflineConflictOutput,
    SeriesInput,
    SeriesOutput,
    ShiftInput,
    ShiftOutput,
    VisitCorrectInput,
    VisitInput,
    VisitLogInput,
    VisitOutput,
    VisitUpdateInput,
)
from scheduling.models import Shift, Visit, VisitSeries
from scheduling.selectors import (
    rota_can_edit,
    rota_team_get_visible,
    shift_get_visible,
    shift_list_visible,
    visit_get_correctable,
    visit_get_own,
    visit_get_visible,
)
from scheduling.services import visits as visit_services
from scheduling.services.offline import OfflineConflict, offline_action_apply
from teams.models import Role, User

READERS = has_role(Role.NURSE, Role.COACH)


def _caller(request: Request) -> User:
    """The signed-in caller. Every view here sits behind `READERS` or `has_role(Role.NURSE)`,
    which refuse an anonymous request before the view runs; DRF's types cannot know that."""
    return cast(User, request.user)


@extend_schema(
    parameters=[
        OpenApiParameter("team", str, description="team id"),
        OpenApiParameter("nurse", str, description="nurse id"),
        OpenApiParameter("start", str, description="shifts ending after (ISO datetime)"),
        OpenApiParameter("end", str, description="shifts starting before (ISO datetime)"),
    ]
)
class ShiftListApi(generics.ListAPIView):
    """Shifts of the teams the user may see. POST books a shift (the team's own nurses)."""

    serializer_class = ShiftOutput
    permission_classes = [READERS]

    def get_queryset(self) -> QuerySet[Shift]:
        shifts = shift_list_visible(user=_caller(self.request))
        params = self.request.query_params
        if params.get("team"):
            shifts = shifts.filter(team__public_id=params["team"])
        if params.get("nurse"):
            shifts = shifts.filter(nurse__public_id=params["nurse"])
        if params.get("start"):
            shifts = shifts.filter(ends_at__gt=params["start"])
        if params.get("end"):
            shifts = shifts.filter(starts_at__lt=params["end"])
        return shifts

    @extend_schema(request=ShiftInput, responses={201: ShiftOutput})
    def post(self, request: Request) -> Response:
        data = ShiftInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        team = values["team"]
        if not rota_can_edit(user=_caller(request), team=team):
            raise Http404
        shift = services.shift_create(**values)
        return Response(ShiftOutput(shift).data, status=status.HTTP_201_CREATED)


class ShiftDetailApi(generics.RetrieveDestroyAPIView):
    serializer_class = ShiftOutput
    permission_classes = [READERS]

    def get_object(self) -> Shift:
        return shift_get_visible(user=_caller(self.request), public_id=self.kwargs["id"])

    @extend_schema(request=ShiftInput, responses={200: ShiftOutput})
    def put(self, request: Request, id: UUID) -> Response:  # noqa: A002
        shift = self.get_object()
        if not rota_can_edit(user=_caller(request), team=shift.team):
            raise Http404
        data = ShiftInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("team")
        shift = services.shift_update(shift=shift, **values)
        return Response(ShiftOutput(shift).data)

    def perform_destroy(self, instance: Shift) -> None:
        if not rota_can_edit(user=_caller(self.request), team=instance.team):
            raise Http404
        services.shift_delete(shift=instance)


class TeamCoverageApi(APIView):
    """Every uncovered or under-covered interval of the team in [start, end)."""

    permission_classes = [READERS]

    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, required=True, description="ISO datetime"),
            OpenApiParameter("end", str, required=True, description="ISO datetime"),
        ],
        responses={200: CoverageOutput},
    )
    def get(self, request: Request, id: UUID) -> Response:  # noqa: A002
        team = rota_team_get_visible(user=_caller(request), public_id=id)
        query = CoverageQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, end = query.validated_data["start"], query.validated_data["end"]
        gaps = services.coverage_gaps(team=team, start=start, end=end)
        return Response(
            CoverageOutput({"team": team.public_id, "start": start, "end": end, "gaps": gaps}).data
        )


# --- visits ---------------------------------------------------------------------------------


def _refuse_coaches(view: APIView, request: Request) -> None:
    """Coaches read their teams' visits; only nurses plan them. Refused as such (403) before
    the body is read, not with the service's "your own team" message, which a coach of the
    client's team would find untrue (the write matrix with valid payloads, issue 20)."""
    if _caller(request).role != Role.NURSE:
        view.permission_denied(request)


def _paged(view: generics.ListAPIView, rows: QuerySet) -> Response:
    """What `ListAPIView.list` does, for a queryset a read service gated and logged."""
    page = view.paginate_queryset(rows)
    if page is not None:
        return view.get_paginated_response(view.get_serializer(page, many=True).data)
    return Response(view.get_serializer(rows, many=True).data)


@extend_schema(
    parameters=[
        OpenApiParameter("nurse", str, description="nurse id"),
        OpenApiParameter("client", str, description="client id"),
        OpenApiParameter("date", str, description="local date YYYY-MM-DD"),
        OpenApiParameter("team", str, description="team id"),
    ]
)
class VisitListApi(generics.ListAPIView):
    """Visits the user may see. POST plans a visit (nurses of the client's team)."""

    serializer_class = VisitOutput
    permission_classes = [READERS]
    pagination_class = KeysFirstPagination

    # The list is read (and logged, once) by `list`; this is only for the schema generator.
    queryset = Visit.objects.none()

    def list(self, request: Request, *args: object, **kwargs: object) -> Response:
        params = request.query_params
        day = None
        if params.get("date"):
            try:
                day = dt.date.fromisoformat(params["date"])
            except ValueError as exc:
                raise ApiValidationError({"date": [_("Use YYYY-MM-DD.")]}) from exc
        visits = reads.visit_list_read(
            actor=_caller(request),
            query=request.META.get("QUERY_STRING", ""),
            nurse=params.get("nurse", ""),
            client=params.get("client", ""),
            team=params.get("team", ""),
            day=day,
        )
        return _paged(self, visits)

    @extend_schema(request=VisitInput, responses={201: VisitOutput})
    def post(self, request: Request) -> Response:
        _refuse_coaches(self, request)
        data = VisitInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)  # `client` is one the caller may see (VisitInput)
        visit = visit_services.visit_schedule(actor=_caller(request), **values)
        return Response(VisitOutput(visit).data, status=status.HTTP_201_CREATED)


class DayVisitsApi(APIView):
    """Today's round of the caller with what she needs at the door: address, key safe,
    allergies, alarm, the visit's care plan and the medication due (issue 18)."""

    permission_classes = [has_role(Role.NURSE)]

    @extend_schema(responses={200: DayVisitOutput(many=True)})
    def get(self, request: Request) -> Response:
        visits = reads.day_clients_read(actor=_caller(request), day=timezone.localdate())
        return Response(DayVisitOutput(visits, many=True).data)


class VisitDetailApi(generics.RetrieveAPIView):
    serializer_class = VisitOutput
    permission_classes = [READERS]

    def get_object(self) -> Visit:
        return reads.visit_open(actor=_caller(self.request), public_id=self.kwargs["id"])

    @extend_schema(request=VisitUpdateInput, responses={200: VisitOutput})
    def put(self, request: Request, id: UUID) -> Response:  # noqa: A002
        visit = visit_get_visible(user=_caller(request), public_id=id)
        _refuse_coaches(self, request)  # (after the gate: another team's visit is a 404)
        data = VisitUpdateInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        visit = visit_services.visit_update(
            visit=visit, actor=_caller(request), **data.validated_data
        )
        return Response(VisitOutput(visit).data)


class VisitLogApi(APIView):
    """Log the caller's own visit. An empty body records it as done as planned."""

    permission_classes = [has_role(Role.NURSE)]

    @extend_schema(request=VisitLogInput, responses={200: VisitOutput})
    def post(self, request: Request, id: UUID) -> Response:  # noqa: A002
        visit = visit_get_own(user=_caller(request), public_id=id)
        data = VisitLogInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "done_interventions" not in values:
            values["done_interventions"] = None
        values["now"] = values.pop("acted_at")
        visit = visit_services.visit_log(visit=visit, actor=_caller(request), **values)
        return Response(VisitOutput(visit).data)


class VisitOfflineActionApi(APIView):
    """One action from the phone's offline queue (issue 18), applied once per key: a visit
    done as planned, a log with another duration, a report, a rating, a dose sign-off.

    200: applied now, or already before (`status`: repeated). 400: what she sent is refused
    (messages per field; nothing stored, the phone may send it corrected). 409: the visit
    changed meanwhile (given to another nurse, cancelled, billed): nothing stored, `detail`
    says what to do. 404: not a visit of her team (any more)."""

    permission_classes = [has_role(Role.NURSE)]

    @extend_schema(
        request=OfflineActionInput,
        responses={200: OfflineActionOutput, 409: OfflineConflictOutput},
    )
    def post(self, request: Request, id: UUID) -> Response:  # noqa: A002
        visit = visit_get_visible(user=_caller(request), public_id=id)
        data = OfflineActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            outcome = offline_action_apply(
                visit=visit,
                actor=_caller(request),
                key=values["key"],
                kind=values["kind"],
                acted_at=values["at"],
                payload=values["payload"],
            )
        except OfflineConflict as exc:
            body = {"detail": exc.messages[0], "code": exc.code}
            return Response(OfflineConflictOutput(body).data, status=status.HTTP_409_CONFLICT)
        result = {
            "key": outcome.key,
            "kind": outcome.kind,
            "visit": outcome.visit,
            "status": "repeated" if outcome.repeated else "applied",
        }
        return Response(OfflineActionOutput(result).data)


class VisitCorrectApi(APIView):
    """Correct a billed visit (a new correction row; the next billing run credits the old
    line and bills the new one). A nurse of the visit's team, or back office."""

    permission_classes = [has_role(Role.NURSE, Role.BACK_OFFICE)]

    @extend_schema(request=VisitCorrectInput, responses={201: VisitOutput})
    def post(self, request: Request, id: UUID) -> Response:  # noqa: A002
        visit = visit_get_correctable(user=_caller(request), public_id=id)
        data = VisitCorrectInput(data=request.data)
        data.is_valid(raise_exception=True)
        correction = visit_services.visit_correct(
            visit=visit, actor=_caller(request), **data.validated_data
        )
        return Response(VisitOutput(correction).data, status=status.HTTP_201_CREATED)


class SeriesListApi(generics.ListAPIView):
    serializer_class = SeriesOutput
    permission_classes = [READERS]

    queryset = VisitSeries.objects.none()  # (read by `list`; this is for the schema)

    def list(self, request: Request, *args: object, **kwargs: object) -> Response:
        series = reads.series_list_read(
            actor=_caller(request), query=request.META.get("QUERY_STRING", "")
        )
        return _paged(self, series)

    @extend_schema(request=SeriesInput, responses={201: SeriesOutput})
    def post(self, request: Request) -> Response:
        _refuse_coaches(self, request)
        data = SeriesInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)  # `client` is one the caller may see (SeriesInput)
        values["weekdays"] = sum(1 << (d - 1) for d in set(values["weekdays"]))
        series = visit_services.series_create(actor=_caller(request), **values)
        return Response(SeriesOutput(series).data, status=status.HTTP_201_CREATED)
