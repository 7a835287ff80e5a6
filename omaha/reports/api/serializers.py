from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.reverse import reverse

from buurtzorg.api import VisibleSlugRelatedField
from omaha.reports.models import OutcomeReport, ReportScope
from omaha.reports.selectors import report_teams_for
from teams.models import Neighbourhood, Team, User


def _report_teams(user: User) -> QuerySet[Team]:
    return report_teams_for(user=user)


class ReportInput(serializers.Serializer):
    scope = serializers.ChoiceField(choices=ReportScope.choices)
    # Only the teams the caller may ask a report about: another team's id answers like an
    # id that exists nowhere.
    team = VisibleSlugRelatedField(
        model=Team, visible=_report_teams, required=False, allow_null=True
    )
    # Neighbourhoods are not private (every role's team list names them), so any one
    # resolves and the service's scope rule gives its own message.
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
