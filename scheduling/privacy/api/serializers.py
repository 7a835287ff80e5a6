"""Privacy request register API shapes."""

from rest_framework import serializers

from scheduling.privacy.models import PrivacyRequest, RequestKind, RequestOutcome


class RetentionHoldOutput(serializers.Serializer):
    what = serializers.CharField()
    why = serializers.CharField()
    until = serializers.DateField(allow_null=True)
    blocks = serializers.BooleanField()


class PrivacyRequestOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    client = serializers.UUIDField(source="client.public_id", read_only=True)
    handled_by = serializers.CharField(source="handled_by.username", allow_null=True, default=None)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = PrivacyRequest
        fields = [
            "id",
            "client",
            "kind",
            "requested_on",
            "due_on",
            "handled_on",
            "handled_by",
            "outcome",
            "note",
            "overdue",
        ]

    def get_overdue(self, obj: PrivacyRequest) -> bool:
        return obj.is_overdue(self.context["today"])


class PrivacyRequestDetailOutput(PrivacyRequestOutput):
    retention = RetentionHoldOutput(many=True, source="holds", read_only=True)

    class Meta(PrivacyRequestOutput.Meta):
        fields = [*PrivacyRequestOutput.Meta.fields, "retention"]


class PrivacyRequestInput(serializers.Serializer):
    client = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    requested_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PrivacyRequestHandleInput(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[RequestOutcome.DONE, RequestOutcome.REFUSED], default=RequestOutcome.DONE
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
    important_to_other = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=1000
    )
