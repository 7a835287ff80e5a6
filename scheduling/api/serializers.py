"""Scheduling API shapes. Every id in an input resolves only among what the caller may see
(`VisibleSlugRelatedField`), so another team's id fails exactly like an id that exists nowhere.
"""

from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from rest_framework import serializers

from buurtzorg.api import VisibleSlugRelatedField
from clients.models import Client, ClientProblem, Intervention
from clients.selectors import client_list_visible
from scheduling.models import CareService, CoverArrangement, Shift, ShiftKind, Visit, VisitSeries
from scheduling.selectors import rota_team_list_visible
from teams.models import Membership, Role, Team, User


def _visible_clients(user: User) -> QuerySet[Client]:
    return client_list_visible(user=user)


def _visible_teams(user: User) -> QuerySet[Team]:
    return rota_team_list_visible(user=user)


def _plannable_nurses(user: User) -> QuerySet[User]:
    """Nurses who could be named on the caller's teams' visits and shifts: members (past,
    present or future: the service checks the day) of those teams and of the teams that
    cover them by arrangement. Wider is not needed, and a nurse outside this set must not be
    told apart from an id that exists nowhere (the service's message would name her)."""
    teams = rota_team_list_visible(user=user).values("pk")
    covering = (
        CoverArrangement.objects.accepted().filter(covered_team__in=teams).values("covering_team")
    )
    return User.objects.filter(
        role=Role.NURSE,
        pk__in=Membership.objects.filter(Q(team__in=teams) | Q(team__in=covering)).values("nurse"),
    )


def _visible_interventions(user: User) -> QuerySet[Intervention]:
    return Intervention.objects.filter(
        client_problem__client__in=client_list_visible(user=user).values("pk")
    )


def _visible_client_problems(user: User) -> QuerySet[ClientProblem]:
    return ClientProblem.objects.filter(client__in=client_list_visible(user=user).values("pk"))


def _nurse_field(**kwargs: Any) -> VisibleSlugRelatedField:
    return VisibleSlugRelatedField(model=User, visible=_plannable_nurses, **kwargs)


class ShiftOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    nurse = serializers.UUIDField(source="nurse.public_id", read_only=True)
    nurse_name = serializers.CharField(source="nurse.__str__", read_only=True)
    team = serializers.UUIDField(source="team.public_id", read_only=True)

    class Meta:
        model = Shift
        fields = ["id", "nurse", "nurse_name", "team", "kind", "starts_at", "ends_at", "note"]


class ShiftInput(serializers.Serializer):
    """Either `starts_at` and `ends_at`, or a pattern `kind` with a `day` (local date)."""

    nurse = _nurse_field()
    team = VisibleSlugRelatedField(model=Team, visible=_visible_teams)
    kind = serializers.ChoiceField(choices=ShiftKind.choices)
    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False)
    day = serializers.DateField(required=False)
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class CoverageGapOutput(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    # DRF's serializer metaclass takes declared fields off the class, so this one does not
    # replace `Field.required`; the stubs cannot see that.
    required = serializers.IntegerField()  # type: ignore[assignment]
    on_duty = serializers.IntegerField()


class CoverageOutput(serializers.Serializer):
    team = serializers.UUIDField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    gaps = CoverageGapOutput(many=True)


class CoverageQuery(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()

    def validate(self, attrs: dict) -> dict:
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": [_("The end must be after the start.")]})
        if (attrs["end"] - attrs["start"]).days > 92:
            raise serializers.ValidationError(
                {"end": [_("Ask for at most %(days)d days at a time.") % {"days": 92}]}
            )
        return attrs


# --- visits ---------------------------------------------------------------------------------


class VisitOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    client = serializers.UUIDField(source="client.public_id", read_only=True)
    client_name = serializers.CharField(source="client.__str__", read_only=True)
    team = serializers.UUIDField(source="team.public_id", read_only=True)
    nurse = serializers.UUIDField(source="nurse.public_id", read_only=True, allow_null=True)
    series = serializers.UUIDField(source="series.public_id", read_only=True, allow_null=True)
    service = serializers.CharField(source="service.code", read_only=True, allow_null=True)
    corrects = serializers.UUIDField(source="corrects.public_id", read_only=True, allow_null=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "client",
            "client_name",
            "team",
            "nurse",
            "series",
            "starts_at",
            "ends_at",
            "planned_minutes",
            "status",
            "notes",
            "service",
            "started_at",
            "ended_at",
            "logged_minutes",
            "logged_at",
            "log_note",
            "deviation_reason",
            "not_done_reason",
            "billed_at",
            "corrects",
        ]


def _service_field(**kwargs: Any) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="code", queryset=CareService.objects.all(), allow_null=True, **kwargs
    )


class VisitInput(serializers.Serializer):
    client = VisibleSlugRelatedField(model=Client, visible=_visible_clients)
    nurse = _nurse_field(required=False, allow_null=True)
    starts_at = serializers.DateTimeField()
    planned_minutes = serializers.IntegerField(min_value=5, max_value=720)
    planned_interventions = VisibleSlugRelatedField(
        model=Intervention, visible=_visible_interventions, many=True, required=False
    )
    notes = serializers.CharField(required=False, default="", allow_blank=True)
    service = _service_field(required=False, default=None)


class VisitUpdateInput(serializers.Serializer):
    nurse = _nurse_field(allow_null=True)
    starts_at = serializers.DateTimeField()
    planned_minutes = serializers.IntegerField(min_value=5, max_value=720)
    notes = serializers.CharField(required=False, default="", allow_blank=True)


class RatingInput(serializers.Serializer):
    client_problem = VisibleSlugRelatedField(model=ClientProblem, visible=_visible_client_problems)
    knowledge = serializers.IntegerField()
    behavior = serializers.IntegerField()
    status = serializers.IntegerField()
    note = serializers.CharField(required=False, default="", allow_blank=True)


class VisitCorrectInput(serializers.Serializer):
    """A billed visit's correction: the minutes that were really spent, and why."""

    minutes = serializers.IntegerField(min_value=0, max_value=24 * 60)
    reason = serializers.CharField(max_length=300)


class VisitLogInput(serializers.Serializer):
    """Empty body: done as planned. Only a different time needs `deviation_reason`."""

    minutes = serializers.IntegerField(required=False, allow_null=True)
    started_at = serializers.DateTimeField(required=False, allow_null=True)
    ended_at = serializers.DateTimeField(required=False, allow_null=True)
    deviation_reason = serializers.CharField(required=False, default="", allow_blank=True)
    done_interventions = VisibleSlugRelatedField(
        model=Intervention, visible=_visible_interventions, many=True, required=False
    )
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=500)
    service = _service_field(required=False, default=None)
    ratings = RatingInput(many=True, required=False)
    # An offline log (issue 18): the key made on the phone, applied once, and when it was done.
    idempotency_key = serializers.UUIDField(required=False, allow_null=True, default=None)
    acted_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class DayClientOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField(source="__str__")
    address = serializers.CharField(source="address_line")
    phone = serializers.CharField()
    key_safe_note = serializers.CharField()
    allergies = serializers.CharField()
    alarm_note = serializers.CharField()


class DayInterventionOutput(serializers.Serializer):
    problem = serializers.CharField(source="client_problem.problem.name")
    description = serializers.CharField()


class DayDoseOutput(serializers.Serializer):
    due_at = serializers.DateTimeField()
    medication = serializers.CharField(source="medication.name")
    dose = serializers.CharField(source="medication.dose_text")
    high_risk = serializers.BooleanField(source="medication.high_risk")
    signed = serializers.BooleanField(source="is_signed")


class DayVisitOutput(serializers.Serializer):
    """One visit of today's round with what she needs at the door (issue 18: the day's
    summary the phone keeps for a round without a network)."""

    id = serializers.UUIDField(source="public_id")
    starts_at = serializers.DateTimeField()
    planned_minutes = serializers.IntegerField()
    status = serializers.CharField()
    client = DayClientOutput()
    interventions = DayInterventionOutput(source="planned_interventions.all", many=True)
    medication_due = DayDoseOutput(source="due_doses", many=True)


class OfflineActionInput(serializers.Serializer):
    """One action from the phone's offline queue (issue 18). `payload` has the shape of the
    page form the nurse filled in: nothing for "done"; the visit-log form's fields for
    "deviation" (minutes, deviation_reason, note, done_interventions, service,
    rating_<problem>_<part>); the report form's for "report" (client_problem, text,
    for_handover, knowledge, behavior, status, subjective, objective, assessment, plan);
    {client_problem, knowledge, behavior, status} for "rating"; the sign form's for "dose"
    (medication, due_at, outcome, reason)."""

    key = serializers.UUIDField(help_text="Made on the phone; each key is applied once.")
    kind = serializers.ChoiceField(choices=list(settings.OFFLINE_ACTION_HANDLERS))
    at = serializers.DateTimeField(help_text="When the nurse did it, by the phone's clock.")
    payload = serializers.DictField(required=False, default=dict)


class OfflineActionOutput(serializers.Serializer):
    key = serializers.UUIDField()
    kind = serializers.CharField()
    visit = serializers.UUIDField(source="visit.public_id")
    status = serializers.ChoiceField(
        choices=["applied", "repeated"],
        help_text="repeated: the key had been applied before; nothing changed now.",
    )


class OfflineConflictOutput(serializers.Serializer):
    """The visit changed on the server meanwhile: nothing was saved; `detail` says what to do."""

    detail = serializers.CharField()
    code = serializers.ChoiceField(choices=["reassigned", "cancelled", "billed"])


class SeriesOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    client = serializers.UUIDField(source="client.public_id", read_only=True)
    team = serializers.UUIDField(source="team.public_id", read_only=True)
    nurse = serializers.UUIDField(source="nurse.public_id", read_only=True, allow_null=True)
    weekdays = serializers.SerializerMethodField()

    class Meta:
        model = VisitSeries
        fields = [
            "id",
            "client",
            "team",
            "nurse",
            "weekdays",
            "time_of_day",
            "planned_minutes",
            "starts_on",
            "until",
            "notes",
        ]

    def get_weekdays(self, obj: VisitSeries) -> list[int]:
        """ISO weekday numbers, 1 = Monday."""
        return [i + 1 for i in range(7) if obj.weekdays & (1 << i)]


class SeriesInput(serializers.Serializer):
    client = VisibleSlugRelatedField(model=Client, visible=_visible_clients)
    nurse = _nurse_field(required=False, allow_null=True)
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=7),
        allow_empty=False,
        help_text="ISO weekday numbers, 1 = Monday; all seven for daily.",
    )
    time_of_day = serializers.TimeField()
    planned_minutes = serializers.IntegerField(min_value=5, max_value=720)
    starts_on = serializers.DateField()
    until = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, default="", allow_blank=True)
    service = _service_field(required=False, default=None)
