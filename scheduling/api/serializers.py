from rest_framework import serializers

from clients.models import Client, ClientProblem, Intervention
from scheduling.models import CareService, Shift, ShiftKind, Visit, VisitSeries
from teams.models import Role, Team, User


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

    nurse = serializers.SlugRelatedField(
        slug_field="public_id", queryset=User.objects.filter(role=Role.NURSE)
    )
    team = serializers.SlugRelatedField(slug_field="public_id", queryset=Team.objects.all())
    kind = serializers.ChoiceField(choices=ShiftKind.choices)
    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False)
    day = serializers.DateField(required=False)
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class CoverageGapOutput(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    required = serializers.IntegerField()
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
            raise serializers.ValidationError({"end": ["The end must be after the start."]})
        if (attrs["end"] - attrs["start"]).days > 92:
            raise serializers.ValidationError({"end": ["Ask for at most 92 days at a time."]})
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
            "billed_at",
            "corrects",
        ]


def _service_field(**kwargs: object) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="code", queryset=CareService.objects.all(), allow_null=True, **kwargs
    )


class VisitInput(serializers.Serializer):
    client = serializers.SlugRelatedField(slug_field="public_id", queryset=Client.objects.all())
    nurse = serializers.SlugRelatedField(
        slug_field="public_id",
        queryset=User.objects.filter(role=Role.NURSE),
        required=False,
        allow_null=True,
    )
    starts_at = serializers.DateTimeField()
    planned_minutes = serializers.IntegerField(min_value=5, max_value=720)
    planned_interventions = serializers.SlugRelatedField(
        slug_field="public_id", queryset=Intervention.objects.all(), many=True, required=False
    )
    notes = serializers.CharField(required=False, default="", allow_blank=True)
    service = _service_field(required=False, default=None)


class VisitUpdateInput(serializers.Serializer):
    nurse = serializers.SlugRelatedField(
        slug_field="public_id", queryset=User.objects.filter(role=Role.NURSE), allow_null=True
    )
    starts_at = serializers.DateTimeField()
    planned_minutes = serializers.IntegerField(min_value=5, max_value=720)
    notes = serializers.CharField(required=False, default="", allow_blank=True)


class RatingInput(serializers.Serializer):
    client_problem = serializers.SlugRelatedField(
        slug_field="public_id", queryset=ClientProblem.objects.all()
    )
    knowledge = serializers.IntegerField()
    behavior = serializers.IntegerField()
    status = serializers.IntegerField()
    note = serializers.CharField(required=False, default="", allow_blank=True)


class VisitLogInput(serializers.Serializer):
    """Empty body: done as planned. Only a different time needs `deviation_reason`."""

    minutes = serializers.IntegerField(required=False, allow_null=True)
    started_at = serializers.DateTimeField(required=False, allow_null=True)
    ended_at = serializers.DateTimeField(required=False, allow_null=True)
    deviation_reason = serializers.CharField(required=False, default="", allow_blank=True)
    done_interventions = serializers.SlugRelatedField(
        slug_field="public_id", queryset=Intervention.objects.all(), many=True, required=False
    )
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=500)
    service = _service_field(required=False, default=None)
    ratings = RatingInput(many=True, required=False)


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
    client = serializers.SlugRelatedField(slug_field="public_id", queryset=Client.objects.all())
    nurse = serializers.SlugRelatedField(
        slug_field="public_id",
        queryset=User.objects.filter(role=Role.NURSE),
        required=False,
        allow_null=True,
    )
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
