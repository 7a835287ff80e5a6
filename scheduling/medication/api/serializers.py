"""Shapes of the medication API (rules are the services')."""

from typing import Any

from rest_framework import serializers

from scheduling.medication.models import DoseForm, DoseSignoff, Medication, Outcome, Route
from scheduling.models import EVERY_DAY


class MedicationOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    client = serializers.UUIDField(source="client.public_id", read_only=True)
    weekdays = serializers.SerializerMethodField()
    times_of_day = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Medication
        fields = [
            "id",
            "client",
            "name",
            "code",
            "strength",
            "form",
            "dose_amount",
            "dose_unit",
            "route",
            "as_needed",
            "times_of_day",
            "weekdays",
            "max_per_day",
            "starts_on",
            "ends_on",
            "prescriber",
            "instructions",
            "high_risk",
            "stopped_at",
            "stop_reason",
        ]
        read_only_fields = fields

    def get_weekdays(self, obj: Medication) -> list[int]:
        """ISO weekdays (1 = Monday) the doses are given on."""
        return [i + 1 for i in range(7) if obj.weekdays & (1 << i)]


class MedicationInput(serializers.Serializer):
    """`times_of_day` as "HH:MM" strings; `weekdays` ISO (1 = Monday), empty = every day."""

    name = serializers.CharField(max_length=200)
    code = serializers.CharField(max_length=7, required=False, default="", allow_blank=True)
    strength = serializers.CharField(max_length=60, required=False, default="", allow_blank=True)
    form = serializers.ChoiceField(choices=DoseForm.choices)
    dose_amount = serializers.DecimalField(
        max_digits=8, decimal_places=3, required=False, allow_null=True, default=None
    )
    dose_unit = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)
    route = serializers.ChoiceField(choices=Route.choices)
    as_needed = serializers.BooleanField(required=False, default=False)
    times_of_day = serializers.ListField(
        child=serializers.CharField(max_length=5), required=False, default=list
    )
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=7), required=False, default=list
    )
    max_per_day = serializers.IntegerField(
        min_value=1, max_value=48, required=False, allow_null=True, default=None
    )
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    prescriber = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    instructions = serializers.CharField(required=False, default="", allow_blank=True)
    high_risk = serializers.BooleanField(required=False, default=False)

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        days = set(data.pop("weekdays"))
        data["weekdays"] = sum(1 << (d - 1) for d in days) if days else EVERY_DAY
        data["code"] = data["code"].strip().upper()
        return data


class StopInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class SignoffOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    medication = serializers.UUIDField(source="medication.public_id", read_only=True)
    signed_by = serializers.CharField(source="signed_by.username", read_only=True)
    second_signer = serializers.CharField(
        source="second_signer.username", read_only=True, allow_null=True
    )
    visit = serializers.UUIDField(source="visit.public_id", read_only=True, allow_null=True)
    corrects = serializers.UUIDField(source="corrects.public_id", read_only=True, allow_null=True)

    class Meta:
        model = DoseSignoff
        fields = [
            "id",
            "medication",
            "due_at",
            "outcome",
            "reason",
            "signed_by",
            "second_signer",
            "visit",
            "corrects",
            "created_at",
        ]
        read_only_fields = fields


class MedicationHistoryOutput(MedicationOutput):
    signoffs = SignoffOutput(many=True, read_only=True, source="history_signoffs")

    class Meta(MedicationOutput.Meta):
        fields = [*MedicationOutput.Meta.fields, "signoffs"]
        read_only_fields = fields


class DueDoseOutput(serializers.Serializer):
    medication = serializers.UUIDField(source="medication.public_id")
    name = serializers.CharField(source="medication.name")
    high_risk = serializers.BooleanField(source="medication.high_risk")
    due_at = serializers.DateTimeField()
    signoff = SignoffOutput(allow_null=True)


class SignInput(serializers.Serializer):
    """One dose: `due_at` as listed by GET (omit it for as-needed medicine: given now). A
    high-risk dose given needs the second nurse's username and password."""

    medication = serializers.UUIDField()
    due_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    reason = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    second_username = serializers.CharField(
        max_length=150, required=False, default="", allow_blank=True
    )
    second_password = serializers.CharField(
        required=False, default="", allow_blank=True, write_only=True
    )


class CorrectInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    reason = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    second_username = serializers.CharField(
        max_length=150, required=False, default="", allow_blank=True
    )
    second_password = serializers.CharField(
        required=False, default="", allow_blank=True, write_only=True
    )
