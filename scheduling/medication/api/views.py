"""Medication API: the same read services and write services as the pages."""

from typing import cast
from uuid import UUID

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from buurtzorg.access import has_role
from clients.selectors import client_get_editable
from scheduling.medication import reads, services
from scheduling.medication.api.serializers import (
    CorrectInput,
    DueDoseOutput,
    MedicationHistoryOutput,
    MedicationInput,
    MedicationOutput,
    SignInput,
    SignoffOutput,
    StopInput,
)
from scheduling.medication.models import DoseSignoff, Medication
from scheduling.medication.selectors import medication_get_editable, medication_list_editable
from scheduling.medication.views import SECOND_SIGNER_WRONG
from scheduling.selectors import visit_get_own
from teams.models import Role, User

READERS = has_role(Role.NURSE, Role.COACH)
NURSES = has_role(Role.NURSE)


def _caller(request: Request) -> User:
    """Every view here sits behind READERS or NURSES, which refuse anonymous requests."""
    return cast(User, request.user)


def _second_signer(request: Request, data: dict) -> User | None:
    """The second nurse by username and password (see the page view for why)."""
    username = data.get("second_username", "").strip()
    if not username:
        return None
    user = authenticate(
        request._request, username=username, password=data.get("second_password", "")
    )
    if not isinstance(user, User):
        raise ValidationError({"second_username": SECOND_SIGNER_WRONG})
    return user


class ClientMedicationApi(APIView):
    """A client's medication list (nurses and coaches of her team); POST adds a medicine
    (the team's nurses)."""

    permission_classes = [READERS]

    @extend_schema(responses={200: MedicationOutput(many=True)})
    def get(self, request: Request, id: UUID) -> Response:  # noqa: A002
        listing = reads.medication_list_read(actor=_caller(request), client_public_id=id)
        return Response(MedicationOutput(listing.medications, many=True).data)

    @extend_schema(request=MedicationInput, responses={201: MedicationOutput})
    def post(self, request: Request, id: UUID) -> Response:  # noqa: A002
        client = client_get_editable(user=_caller(request), public_id=id)
        data = MedicationInput(data=request.data)
        data.is_valid(raise_exception=True)
        medication = services.medication_create(
            client=client, actor=_caller(request), **data.service_fields()
        )
        return Response(MedicationOutput(medication).data, status=status.HTTP_201_CREATED)


class MedicationDetailApi(APIView):
    """One medicine with its administration record (every sign-off and correction)."""

    permission_classes = [READERS]

    @extend_schema(responses={200: MedicationHistoryOutput})
    def get(self, request: Request, id: UUID) -> Response:  # noqa: A002
        history = reads.medication_history_read(actor=_caller(request), public_id=id)
        medication: Medication = history.medication
        medication.history_signoffs = history.signoffs  # type: ignore[attr-defined]
        return Response(MedicationHistoryOutput(medication).data)


class MedicationStopApi(APIView):
    permission_classes = [NURSES]

    @extend_schema(request=StopInput, responses={200: MedicationOutput})
    def post(self, request: Request, id: UUID) -> Response:  # noqa: A002
        medication = medication_get_editable(user=_caller(request), public_id=id)
        data = StopInput(data=request.data)
        data.is_valid(raise_exception=True)
        medication = services.medication_stop(
            medication=medication, actor=_caller(request), reason=data.validated_data["reason"]
        )
        return Response(MedicationOutput(medication).data)


class VisitDosesApi(APIView):
    """The doses due at the caller's own visit; POST signs one."""

    permission_classes = [NURSES]

    @extend_schema(responses={200: DueDoseOutput(many=True)})
    def get(self, request: Request, id: UUID) -> Response:  # noqa: A002
        doses = reads.visit_doses_read(actor=_caller(request), visit_public_id=id)
        return Response(DueDoseOutput(doses.doses, many=True).data)

    @extend_schema(request=SignInput, responses={201: SignoffOutput})
    def post(self, request: Request, id: UUID) -> Response:  # noqa: A002
        visit = visit_get_own(user=_caller(request), public_id=id)
        data = SignInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        medication = Medication.objects.filter(
            client_id=visit.client_id, public_id=values["medication"]
        ).first()
        if medication is None:
            raise ValidationError({"medication": services.WRONG_CLIENT})
        signoff = services.dose_sign(
            visit=visit,
            medication=medication,
            due_at=values["due_at"],
            outcome=values["outcome"],
            reason=values["reason"],
            second_signer=_second_signer(request, values),
            actor=_caller(request),
        )
        return Response(SignoffOutput(signoff).data, status=status.HTTP_201_CREATED)


class VisitAllGivenApi(APIView):
    """One tap: every due dose of the visit that needs no second nurse, signed as given."""

    permission_classes = [NURSES]

    @extend_schema(request=None, responses={201: SignoffOutput(many=True)})
    def post(self, request: Request, id: UUID) -> Response:  # noqa: A002
        visit = visit_get_own(user=_caller(request), public_id=id)
        signed = services.doses_sign_all_given(visit=visit, actor=_caller(request))
        return Response(SignoffOutput(signed, many=True).data, status=status.HTTP_201_CREATED)


class SignoffCorrectApi(APIView):
    """Correct a sign-off: a new row pointing at it (the old one stays)."""

    permission_classes = [NURSES]

    @extend_schema(request=CorrectInput, responses={201: SignoffOutput})
    def post(self, request: Request, id: UUID) -> Response:  # noqa: A002
        user = _caller(request)
        signoff = DoseSignoff.objects.filter(
            public_id=id, medication__in=medication_list_editable(user=user)
        ).first()
        if signoff is None:
            raise Http404
        data = CorrectInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        correction = services.dose_signoff_correct(
            signoff=signoff,
            actor=user,
            outcome=values["outcome"],
            reason=values["reason"],
            second_signer=_second_signer(request, values),
        )
        return Response(SignoffOutput(correction).data, status=status.HTTP_201_CREATED)
