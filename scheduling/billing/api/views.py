from typing import cast

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from buurtzorg.access import has_role
from clients import services as clients_services
from clients.models import Insurer
from scheduling import services as scheduling_services
from scheduling.billing import reads, selectors, services
from scheduling.billing.api.serializers import (
    CareServiceInput,
    CareServiceOutput,
    ContractInput,
    ContractOutput,
    InsurerInput,
    InsurerOutput,
    PreflightOutput,
    RejectionOutput,
    ReturnFileInput,
    ReturnFileOutput,
    RunOutput,
    RunStartInput,
    TariffInput,
)
from scheduling.billing.models import BillingRun, Contract, RunFile
from scheduling.billing.vektis import reads as vektis_reads
from scheduling.models import CareService
from teams.models import User

UNKNOWN_SERVICE_CODE = _("There is no care service with this code.")


class BillingPermission(BasePermission):
    """Back office only. Other signed-in users get 404, like for anything they may not see."""

    # The kernel's role check, held rather than subclassed: `has_role` makes its class at
    # run time, which a type checker cannot use as a base.
    role_permission = has_role(*selectors.BILLING_ROLES)()

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if not self.role_permission.has_permission(request, view):
            raise NotFound
        return True


def _user(request: Request) -> User:
    """The signed-in back-office user: BillingPermission lets no anonymous request through."""
    return cast(User, request.user)


def _runs(request: Request) -> QuerySet[BillingRun]:
    return selectors.billing_run_list_visible(user=_user(request)).prefetch_related(
        Prefetch("files", queryset=RunFile.objects.select_related("insurer"))
    )


class RunListApi(generics.ListAPIView):
    """Billing runs, newest month first. POST starts (or returns the same) run: 201 or 200."""

    serializer_class = RunOutput
    permission_classes = [BillingPermission]

    def get_queryset(self) -> QuerySet[BillingRun]:
        return _runs(self.request)

    @extend_schema(request=RunStartInput, responses={201: RunOutput, 200: RunOutput})
    def post(self, request: Request) -> Response:
        data = RunStartInput(data=request.data)
        data.is_valid(raise_exception=True)
        uzovi = data.validated_data.get("insurer_uzovi") or ""
        insurer = services.insurer_by_uzovi(uzovi) if uzovi else None
        result = services.billing_run_request(
            period=data.validated_data["period"], insurer=insurer, actor=_user(request)
        )
        run = _runs(request).get(pk=result.run.pk)
        code = status.HTTP_201_CREATED if result.started else status.HTTP_200_OK
        return Response(RunOutput(run, context={"request": request}).data, status=code)


class RunDetailApi(generics.RetrieveAPIView):
    serializer_class = RunOutput
    permission_classes = [BillingPermission]

    def get_object(self) -> BillingRun:
        run = selectors.billing_run_get_visible(
            user=_user(self.request), public_id=self.kwargs["id"]
        )
        return _runs(self.request).get(pk=run.pk)


class RunPreflightApi(APIView):
    """The pre-flight list as last checked (GET), or a fresh check queued (POST, 202)."""

    permission_classes = [BillingPermission]

    @extend_schema(responses={200: PreflightOutput})
    def get(self, request: Request, id: str) -> Response:  # noqa: A002
        preflight = reads.billing_preflight_read(actor=_user(request), public_id=id)
        return Response(_preflight_output(preflight))

    @extend_schema(request=None, responses={202: PreflightOutput})
    def post(self, request: Request, id: str) -> Response:  # noqa: A002
        run = selectors.billing_run_get_visible(user=_user(request), public_id=id)
        services.billing_run_check_request(run=run)  # (a refusal is a 400, as everywhere)
        # The check runs in the worker: until it is done there is no list (and nothing read).
        pending = reads.Preflight(run=run, problems=[], blocking=0)
        return Response(_preflight_output(pending), status=status.HTTP_202_ACCEPTED)


def _preflight_output(preflight: reads.Preflight) -> dict:
    return PreflightOutput(
        {
            "can_finalise": preflight.can_finalise,
            "checked_at": preflight.run.preflight_at,
            "problems": preflight.problems,
        }
    ).data


class RunFinaliseApi(APIView):
    permission_classes = [BillingPermission]

    @extend_schema(request=None, responses={200: RunOutput})
    def post(self, request: Request, id: str) -> Response:  # noqa: A002
        run = selectors.billing_run_get_visible(user=_user(request), public_id=id)
        services.billing_run_finalise(run=run, actor=_user(request))
        run = _runs(request).get(pk=run.pk)
        return Response(RunOutput(run, context={"request": request}).data)


class RunFileApi(APIView):
    """Download one file of a run (back office only; 404 for everyone else)."""

    permission_classes = [BillingPermission]

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(description="file")}
    )
    def get(self, request: Request, id: str) -> FileResponse:  # noqa: A002
        run_file = reads.billing_file_open(actor=_user(request), public_id=id)
        return FileResponse(
            run_file.file.open("rb"),
            as_attachment=True,
            filename=run_file.filename,
            content_type=run_file.content_type,
        )


class RunReturnsApi(APIView):
    """The insurer's rejections of a run (GET), or its return message uploaded (POST)."""

    permission_classes = [BillingPermission]
    parser_classes = [MultiPartParser]

    @extend_schema(responses={200: RejectionOutput(many=True)})
    def get(self, request: Request, id: str) -> Response:  # noqa: A002
        rows = vektis_reads.billing_rejections_read(actor=_user(request), public_id=id)
        return Response(RejectionOutput(rows, many=True).data)

    @extend_schema(request=ReturnFileInput, responses={201: ReturnFileOutput})
    def post(self, request: Request, id: str) -> Response:  # noqa: A002
        data = ReturnFileInput(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        run = selectors.billing_run_get_visible(user=_user(request), public_id=id)
        stored = vektis_reads.return_file_upload(
            actor=_user(request), run=run, filename=upload.name, content=upload.read()
        )
        return Response(ReturnFileOutput(stored).data, status=status.HTTP_201_CREATED)


class RejectionReadyApi(APIView):
    """Mark a rejection fixed: the insurer's next run declares the record again."""

    permission_classes = [BillingPermission]

    @extend_schema(request=None, responses={200: OpenApiResponse(description="Marked fixed")})
    def post(self, request: Request, id: str) -> Response:  # noqa: A002
        rejection = vektis_reads.rejection_get_visible(user=_user(request), public_id=id)
        rejection = vektis_reads.rejection_fixed(actor=_user(request), rejection=rejection)
        return Response({"id": str(rejection.public_id), "status": rejection.status})


# --- insurers and care services (back office and administrators) ------------------------------


class CataloguePermission(BillingPermission):
    """Back office and administrators; other signed-in users get 404."""

    role_permission = has_role(*selectors.CATALOGUE_ROLES)()


class InsurerListApi(generics.ListAPIView):
    """Insurers by name. POST registers one (400 with the field's message for a bad or taken
    UZOVI code)."""

    serializer_class = InsurerOutput
    permission_classes = [CataloguePermission]
    pagination_class = None

    def get_queryset(self) -> QuerySet[Insurer]:
        return selectors.insurer_list_visible(user=_user(self.request))

    @extend_schema(request=InsurerInput, responses={201: InsurerOutput})
    def post(self, request: Request) -> Response:
        data = InsurerInput(data=request.data)
        data.is_valid(raise_exception=True)
        insurer = clients_services.insurer_create(actor=_user(request), **data.validated_data)
        return Response(InsurerOutput(insurer).data, status=status.HTTP_201_CREATED)


class InsurerDetailApi(generics.RetrieveAPIView):
    serializer_class = InsurerOutput
    permission_classes = [CataloguePermission]

    def get_object(self) -> Insurer:
        return selectors.insurer_get_visible(user=_user(self.request), public_id=self.kwargs["id"])

    @extend_schema(request=InsurerInput, responses={200: InsurerOutput})
    def put(self, request: Request, id: str) -> Response:  # noqa: A002
        insurer = self.get_object()
        data = InsurerInput(data=request.data)
        data.is_valid(raise_exception=True)
        insurer = clients_services.insurer_update(
            insurer=insurer, actor=_user(request), **data.validated_data
        )
        return Response(InsurerOutput(insurer).data)


class CareServiceListApi(generics.ListAPIView):
    """Care services by code. POST adds one (400 for a taken code)."""

    serializer_class = CareServiceOutput
    permission_classes = [CataloguePermission]
    pagination_class = None

    def get_queryset(self) -> QuerySet[CareService]:
        return selectors.care_service_list_visible(user=_user(self.request))

    @extend_schema(request=CareServiceInput, responses={201: CareServiceOutput})
    def post(self, request: Request) -> Response:
        data = CareServiceInput(data=request.data)
        data.is_valid(raise_exception=True)
        service = scheduling_services.care_service_create(
            actor=_user(request), **data.validated_data
        )
        return Response(CareServiceOutput(service).data, status=status.HTTP_201_CREATED)


class CareServiceDetailApi(generics.RetrieveAPIView):
    serializer_class = CareServiceOutput
    permission_classes = [CataloguePermission]

    def get_object(self) -> CareService:
        return selectors.care_service_get_visible(user=_user(self.request), pk=self.kwargs["id"])

    @extend_schema(request=CareServiceInput, responses={200: CareServiceOutput})
    def put(self, request: Request, id: int) -> Response:  # noqa: A002
        service = self.get_object()
        data = CareServiceInput(data=request.data)
        data.is_valid(raise_exception=True)
        service = scheduling_services.care_service_update(
            service=service, actor=_user(request), **data.validated_data
        )
        return Response(CareServiceOutput(service).data)


class ContractListApi(generics.ListAPIView):
    """Contracts (one per insurer and year) with their tariffs. POST adds one (400 when the
    insurer already has a contract for that year)."""

    serializer_class = ContractOutput
    permission_classes = [CataloguePermission]
    pagination_class = None

    def get_queryset(self) -> QuerySet[Contract]:
        return selectors.contract_list_visible(user=_user(self.request))

    @extend_schema(request=ContractInput, responses={201: ContractOutput})
    def post(self, request: Request) -> Response:
        data = ContractInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        insurer = services.insurer_by_uzovi(values.pop("insurer_uzovi"))
        contract = services.contract_create(insurer=insurer, actor=_user(request), **values)
        return Response(ContractOutput(contract).data, status=status.HTTP_201_CREATED)


class ContractDetailApi(generics.RetrieveAPIView):
    """One contract with its tariffs (their history: each with its validity dates). POST sets
    the hourly tariff of a service from a date, ending the tariff in force then the day before
    (400 for 0 or less, a service that is not billable, a date outside the contract's year,
    an end before the start, or a period that overlaps another tariff)."""

    serializer_class = ContractOutput
    permission_classes = [CataloguePermission]

    def get_object(self) -> Contract:
        return selectors.contract_get_visible(user=_user(self.request), public_id=self.kwargs["id"])

    @extend_schema(
        operation_id="billing_contracts_tariff_set",
        request=TariffInput,
        responses={200: ContractOutput},
    )
    def post(self, request: Request, id: str) -> Response:  # noqa: A002
        contract = self.get_object()
        data = TariffInput(data=request.data)
        data.is_valid(raise_exception=True)
        service = CareService.objects.filter(code=data.validated_data["service_code"]).first()
        if service is None:
            raise ApiValidationError({"service_code": [UNKNOWN_SERVICE_CODE]})
        services.tariff_set(
            contract=contract,
            service=service,
            hourly_rate=data.validated_data["hourly_rate"],
            valid_from=data.validated_data["valid_from"],
            valid_until=data.validated_data["valid_until"],
            actor=_user(request),
        )
        # Read again with the new rate (one query per relation, as the list does).
        fresh = (
            Contract.objects.select_related("insurer")
            .prefetch_related("tariffs__service", "tariffs__set_by")
            .get(pk=contract.pk)
        )
        return Response(ContractOutput(fresh).data)
