from rest_framework import serializers

from clients.wounds.models import (
    Edges,
    Exudate,
    Tissue,
    Wound,
    WoundAssessment,
    WoundKind,
    WoundPhoto,
)


class WoundPhotoOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = WoundPhoto
        fields = ["id", "content_type", "width", "height"]


class WoundAssessmentOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    assessed_by = serializers.CharField(source="assessed_by.__str__", read_only=True)
    photos = WoundPhotoOutput(many=True, read_only=True)

    class Meta:
        model = WoundAssessment
        fields = [
            "id",
            "assessed_at",
            "length_mm",
            "width_mm",
            "depth_mm",
            "tissue",
            "exudate",
            "edges",
            "pain",
            "notes",
            "assessed_by",
            "photos",
        ]


class WoundOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    assessments = WoundAssessmentOutput(many=True, read_only=True)

    class Meta:
        model = Wound
        fields = [
            "id",
            "body_site",
            "kind",
            "cause",
            "started_on",
            "closed_on",
            "close_reason",
            "assessments",
        ]


class WoundInput(serializers.Serializer):
    body_site = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=WoundKind.choices)
    cause = serializers.CharField(max_length=200, required=False, allow_blank=True)
    started_on = serializers.DateField()


class WoundAssessmentInput(serializers.Serializer):
    """Sizes go to the service as given, so its range message is the one returned."""

    assessed_at = serializers.DateTimeField()
    length_mm = serializers.DecimalField(max_digits=4, decimal_places=1)
    width_mm = serializers.DecimalField(max_digits=4, decimal_places=1)
    depth_mm = serializers.DecimalField(max_digits=4, decimal_places=1)
    tissue = serializers.ChoiceField(choices=Tissue.choices)
    exudate = serializers.ChoiceField(choices=Exudate.choices)
    edges = serializers.ChoiceField(choices=Edges.choices)
    pain = serializers.IntegerField()
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class WoundCloseInput(serializers.Serializer):
    closed_on = serializers.DateField()
    close_reason = serializers.CharField(max_length=200)


class WoundPhotoInput(serializers.Serializer):
    """multipart/form-data with one file in `photo` (checked by content by the service)."""

    photo = serializers.FileField()
