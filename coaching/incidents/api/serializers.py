from rest_framework import serializers

from coaching.incidents.models import DESCRIPTION_MAX, Incident, IncidentAction, IncidentKind


class IncidentActionOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = IncidentAction
        fields = ["id", "text", "created_at"]


class IncidentOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    client = serializers.UUIDField(source="client.public_id", allow_null=True, read_only=True)
    actions = IncidentActionOutput(many=True, read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "kind",
            "occurred_on",
            "description",
            "client",
            "show_author",
            "status",
            "closed_at",
            "actions",
        ]


class IncidentInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=IncidentKind.choices)
    occurred_on = serializers.DateField()
    description = serializers.CharField(
        max_length=DESCRIPTION_MAX, allow_blank=True, trim_whitespace=False
    )
    client = serializers.UUIDField(required=False, allow_null=True)
    show_author = serializers.BooleanField(default=True)


class MonthCountOutput(serializers.Serializer):
    month = serializers.DateField()
    total = serializers.IntegerField()
    kinds = serializers.DictField(child=serializers.IntegerField())


class TeamTrendOutput(serializers.Serializer):
    team = serializers.UUIDField(source="team.public_id")
    open = serializers.IntegerField()
    months = MonthCountOutput(many=True)
