from rest_framework import serializers

from scheduling.models import Shift, ShiftKind
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
