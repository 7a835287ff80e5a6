from django.contrib.auth import authenticate
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from buurtzorg.access import has_role
from buurtzorg.audit.services import api_token_issue
from teams import services
from teams.api.serializers import (
    MembershipInput,
    MembershipOutput,
    NeighbourhoodInput,
    NeighbourhoodOutput,
    OrganisationInput,
    OrganisationOutput,
    TeamInput,
    TeamOutput,
    TokenInput,
    TokenOutput,
)
from teams.http import signed_in_user
from teams.models import Membership, Neighbourhood, Role, Team
from teams.selectors import (
    neighbourhood_list,
    organisation_details,
    team_get_visible,
    team_list_visible,
)

BAD_CREDENTIALS = _("Unable to log in with the given username and password.")


class TokenApi(APIView):
    """Exchange a username and password (and a two-factor code, if she uses it) for a token."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=TokenInput,
        responses={200: TokenOutput},
        description="Accounts with two-factor login also send `otp_token`, the current "
        "6-digit code of their authenticator app. A role that requires two-factor login gets "
        "no token until it is set up in the web app.",
    )
    def post(self, request: Request) -> Response:
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        credentials = dict(data.validated_data)
        otp_token = credentials.pop("otp_token")
        user = authenticate(request._request, **credentials)
        if user is None:
            raise ApiValidationError({"non_field_errors": [BAD_CREDENTIALS]})
        token = api_token_issue(user=user, otp_token=otp_token)
        return Response({"token": token.key})


class NeighbourhoodListApi(generics.ListAPIView):
    serializer_class = NeighbourhoodOutput
    permission_classes = [has_role(Role.ADMIN)]

    def get_queryset(self) -> QuerySet[Neighbourhood]:
        return neighbourhood_list()

    @extend_schema(request=NeighbourhoodInput, responses={201: NeighbourhoodOutput})
    def post(self, request: Request) -> Response:
        data = NeighbourhoodInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["postcodes"] = services.parse_postcodes(" ".join(values["postcodes"]))
        neighbourhood = services.neighbourhood_create(**values)
        return Response(NeighbourhoodOutput(neighbourhood).data, status=status.HTTP_201_CREATED)


class NeighbourhoodDetailApi(generics.RetrieveAPIView):
    serializer_class = NeighbourhoodOutput
    permission_classes = [has_role(Role.ADMIN)]
    lookup_field = "public_id"
    lookup_url_kwarg = "id"

    def get_queryset(self) -> QuerySet[Neighbourhood]:
        return neighbourhood_list()

    @extend_schema(request=NeighbourhoodInput, responses={200: NeighbourhoodOutput})
    def put(self, request: Request, id: str) -> Response:  # noqa: A002
        neighbourhood = self.get_object()
        data = NeighbourhoodInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["postcodes"] = services.parse_postcodes(" ".join(values["postcodes"]))
        neighbourhood = services.neighbourhood_update(neighbourhood=neighbourhood, **values)
        return Response(NeighbourhoodOutput(neighbourhood).data)


class TeamListApi(generics.ListAPIView):
    serializer_class = TeamOutput
    permission_classes = [has_role(Role.ADMIN, Role.COACH, Role.NURSE, Role.BACK_OFFICE)]

    def get_queryset(self) -> QuerySet[Team]:
        return team_list_visible(user=signed_in_user(self.request))

    @extend_schema(request=TeamInput, responses={201: TeamOutput})
    def post(self, request: Request) -> Response:
        user = signed_in_user(request)
        if user.role != Role.ADMIN:
            self.permission_denied(request)
        data = TeamInput(data=request.data)
        data.is_valid(raise_exception=True)
        team = services.team_create(**data.validated_data)
        return Response(
            TeamOutput(team_list_visible(user=user).get(pk=team.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class TeamDetailApi(generics.RetrieveAPIView):
    serializer_class = TeamOutput
    permission_classes = [has_role(Role.ADMIN, Role.COACH, Role.NURSE, Role.BACK_OFFICE)]

    def get_object(self) -> Team:
        return team_get_visible(user=signed_in_user(self.request), public_id=self.kwargs["id"])


class TeamMemberListApi(generics.ListAPIView):
    """Active and past members of a team. POST adds a nurse (400 when the team is full)."""

    serializer_class = MembershipOutput
    permission_classes = [has_role(Role.ADMIN, Role.COACH, Role.NURSE)]

    def get_queryset(self) -> QuerySet[Membership]:
        team = team_get_visible(user=signed_in_user(self.request), public_id=self.kwargs["id"])
        return team.memberships.select_related("nurse").order_by("ended_on", "seat")

    @extend_schema(request=MembershipInput, responses={201: MembershipOutput})
    def post(self, request: Request, id: str) -> Response:  # noqa: A002
        user = signed_in_user(request)
        if user.role != Role.ADMIN:
            self.permission_denied(request)
        team = get_object_or_404(Team, public_id=id)
        data = MembershipInput(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.team_add_nurse(team=team, **data.validated_data)
        return Response(MembershipOutput(membership).data, status=status.HTTP_201_CREATED)


class OrganisationApi(APIView):
    """The organisation's own details (name, address, KvK, AGB, IBAN, VAT note, payment term):
    back office and administrators read and change them; everyone else gets 403."""

    permission_classes = [has_role(Role.BACK_OFFICE, Role.ADMIN)]

    @extend_schema(responses={200: OrganisationOutput})
    def get(self, request: Request) -> Response:
        return Response(OrganisationOutput(organisation_details()).data)

    @extend_schema(request=OrganisationInput, responses={200: OrganisationOutput})
    def put(self, request: Request) -> Response:
        data = OrganisationInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = {"vat_exemption_note": "", **data.validated_data}
        organisation = services.organisation_update(actor=signed_in_user(request), **values)
        return Response(OrganisationOutput(organisation).data)
