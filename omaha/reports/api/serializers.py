from rest_framework import serializers
from rest_framework.reverse import reverse

from omaha.reports.models import OutcomeReport, ReportScope
from teams.models import Neighbourhood, Team


class ReportInput(serializers.Serializer):
    scope = serializers.ChoiceField(choices=ReportScope.choices)
    team = serializers.SlugRelatedField(
        slug_field="public_id", queryset=Team.objects.all(), required=False, allow_null=True
    )
    neighbourhood = serializers.SlugRelatedField(
        slug_field="public_id",
        queryset=Neighbourhood.objects.all(),
        required=False,
        allow_null=True,
    )
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    per_client = serializers.BooleanField(default=False)


class ReportOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    team = serializers.UUIDField(source="team.public_id", default=None, read_only=True)
    neighbourhood = serializers.UUIDField(
        source="neighbourhood.public_id", default=None, read_only=True
    )
    progress_percent = serializers.IntegerField(read_only=True)
    csv_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = OutcomeReport
        fields = [
            "id",
            "scope",
            "team",
            "neighbourhood",
            "period_start",
            "period_end",
            "per_client",
            "status",
            "progress_percent",
            "client_count",
            "result",
            "error",
            "created_at",
            "finished_at",
            "csv_url",
            "pdf_url",
        ]

    def _url(self, obj: OutcomeReport, kind: str) -> str | None:
        if not (obj.csv_file if kind == "csv" else obj.pdf_file):
            return None
        return reverse(
            "reports:report-download",
            kwargs={"public_id": obj.public_id, "kind": kind},
            request=self.context.get("request"),
        )

    def get_csv_url(self, obj: OutcomeReport) -> str | None:
        return self._url(obj, "csv")

    def get_pdf_url(self, obj: OutcomeReport) -> str | None:
        return self._url(obj, "pdf")
