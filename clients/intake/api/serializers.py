from rest_framework import serializers

from clients.intake.models import IntakeRequest


class IntakeSentOutput(serializers.Serializer):
    """What a nurse gets for a registration sent to back office: the same for every reason."""

    status = serializers.CharField()
    detail = serializers.CharField()


class IntakeRequestOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id")
    team = serializers.CharField(source="team.name")
    in_care_with = serializers.CharField(source="in_care_with.name", allow_null=True)
    requested_by = serializers.CharField(source="requested_by.get_full_name")
    resolved_by = serializers.CharField(source="resolved_by.get_full_name", allow_null=True)

    class Meta:
        model = IntakeRequest
        fields = [
            "id",
            "created_at",
            "team",
            "requested_by",
            "bsn",
            "details",
            "in_care_with",
            "status",
            "resolved_by",
            "resolved_at",
            "resolution",
        ]


class IntakeResolveInput(serializers.Serializer):
    resolution = serializers.CharField(max_length=300)
