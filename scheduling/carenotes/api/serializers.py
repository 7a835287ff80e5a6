"""Reports and handover API shapes. Ids in inputs resolve inside the client the URL names,
which the read service gated: another client's problem fails like one that exists nowhere."""

from rest_framework import serializers

from scheduling.carenotes.models import SOAP_MAX, TEXT_MAX, CareReport


class CareReportOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    client = serializers.UUIDField(source="client.public_id", read_only=True)
    visit = serializers.UUIDField(source="visit.public_id", read_only=True, allow_null=True)
    problem = serializers.UUIDField(
        source="client_problem.public_id", read_only=True, allow_null=True
    )
    problem_code = serializers.CharField(
        source="client_problem.problem.code", read_only=True, allow_null=True
    )
    author = serializers.UUIDField(source="author.public_id", read_only=True)
    author_name = serializers.CharField(source="author.__str__", read_only=True)
    replaces = serializers.UUIDField(source="replaces.public_id", read_only=True, allow_null=True)
    replaced_by = serializers.SerializerMethodField()

    class Meta:
        model = CareReport
        fields = [
            "id",
            "client",
            "visit",
            "problem",
            "problem_code",
            "author",
            "author_name",
            "written_at",
            "text",
            "subjective",
            "objective",
            "assessment",
            "plan",
            "for_handover",
            "replaces",
            "replaced_by",
            "created_at",
        ]

    def get_replaced_by(self, report: CareReport) -> str | None:
        newer = getattr(report, "replaced_by", None)
        return str(newer.public_id) if newer is not None else None


class CareReportPageOutput(serializers.Serializer):
    results = CareReportOutput(many=True)
    next_cursor = serializers.CharField(allow_blank=True)


class CareReportEditInput(serializers.Serializer):
    # Lengths are the service's rules (its messages name the limit); these bound the input.
    text = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=TEXT_MAX * 2)
    subjective = serializers.CharField(required=False, allow_blank=True, max_length=SOAP_MAX * 2)
    objective = serializers.CharField(required=False, allow_blank=True, max_length=SOAP_MAX * 2)
    assessment = serializers.CharField(required=False, allow_blank=True, max_length=SOAP_MAX * 2)
    plan = serializers.CharField(required=False, allow_blank=True, max_length=SOAP_MAX * 2)
    for_handover = serializers.BooleanField(required=False, default=False)


class CareReportInput(CareReportEditInput):
    problem = serializers.UUIDField(required=False, allow_null=True, help_text="client problem id")
    visit = serializers.UUIDField(required=False, allow_null=True, help_text="one of your visits")
    written_at = serializers.DateTimeField(required=False, allow_null=True)
    # A KBS rating of the problem (all three or none); 1-5 is the service's rule.
    knowledge = serializers.IntegerField(required=False, allow_null=True)
    behavior = serializers.IntegerField(required=False, allow_null=True)
    status = serializers.IntegerField(required=False, allow_null=True)


class HandoverItemOutput(serializers.Serializer):
    kind = serializers.CharField()
    client = serializers.UUIDField(source="client.public_id")
    client_name = serializers.CharField(source="client.__str__")
    when = serializers.DateTimeField()
    text = serializers.CharField()
    url = serializers.CharField()
    key = serializers.CharField()
    read = serializers.BooleanField()


class HandoverOutput(serializers.Serializer):
    team = serializers.UUIDField(source="team.public_id")
    since = serializers.DateTimeField()
    items = HandoverItemOutput(many=True)


class HandoverReadInput(serializers.Serializer):
    key = serializers.CharField(max_length=120)
