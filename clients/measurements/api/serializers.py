from rest_framework import serializers

from clients.measurements.models import Kind, Measurement


class MeasurementOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    unit = serializers.CharField(source="spec.unit", read_only=True)
    measured_by = serializers.CharField(source="measured_by.__str__", read_only=True)

    class Meta:
        model = Measurement
        fields = [
            "id",
            "kind",
            "value",
            "value2",
            "unit",
            "measured_at",
            "measured_by",
            "out_of_range",
        ]


class MeasurementInput(serializers.Serializer):
    """Values go to the service as given, so its range message is the one returned."""

    kind = serializers.ChoiceField(choices=Kind.choices)
    value = serializers.DecimalField(max_digits=5, decimal_places=1)
    value2 = serializers.DecimalField(
        max_digits=5, decimal_places=1, required=False, allow_null=True
    )
    measured_at = serializers.DateTimeField(required=False)
