from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from clients.models import Insurer
from scheduling.billing.models import BillingRun, Contract, RunFile, Tariff
from scheduling.models import CareService


class RunStartInput(serializers.Serializer):
    period = serializers.DateField(
        input_formats=["%Y-%m", "%Y-%m-%d"], help_text="The month to bill: 2026-10"
    )
    insurer_uzovi = serializers.CharField(
        max_length=4, required=False, allow_blank=True, help_text="Empty: all insurers"
    )


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-10"})
class MonthField(serializers.DateField):
    """A month, written "2026-10" (the schema says so: it is no full date)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m", **kwargs)  # type: ignore[arg-type]


class RunFileOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    insurer_uzovi = serializers.CharField(source="insurer.uzovi", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = RunFile
        fields = [
            "id",
            "insurer_uzovi",
            "kind",
            "filename",
            "size",
            "sha256",
            "invoice_number",
            "total_amount",
            "url",
        ]

    def get_url(self, obj: RunFile) -> str:
        return reverse(
            "api-billing-file", kwargs={"id": obj.public_id}, request=self.context.get("request")
        )


class RunOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    period = MonthField(read_only=True)
    # None for a run over all insurers / not yet finalised: the schema says nullable.
    insurer_uzovi = serializers.CharField(
        source="insurer.uzovi", read_only=True, default=None, allow_null=True
    )
    requested_by = serializers.CharField(
        source="requested_by.username", default=None, allow_null=True
    )
    finalised_by = serializers.CharField(
        source="finalised_by.username", default=None, allow_null=True
    )
    progress_percent = serializers.IntegerField(read_only=True)
    files = RunFileOutput(many=True, read_only=True)
    # Null until the run has built its draft (`BillingRun.has_totals`): never partial totals.
    client_count = serializers.IntegerField(read_only=True, allow_null=True)
    line_count = serializers.IntegerField(read_only=True, allow_null=True)
    credit_line_count = serializers.IntegerField(read_only=True, allow_null=True)
    visit_count = serializers.IntegerField(read_only=True, allow_null=True)
    unpriced_count = serializers.IntegerField(read_only=True, allow_null=True)
    total_amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, allow_null=True
    )

    TOTALS = (
        "client_count",
        "line_count",
        "credit_line_count",
        "visit_count",
        "unpriced_count",
        "total_amount",
    )

    def to_representation(self, instance: BillingRun) -> dict:
        data = super().to_representation(instance)
        if not instance.has_totals:
            data.update(dict.fromkeys(self.TOTALS))
        return data

    class Meta:
        model = BillingRun
        fields = [
            "id",
            "period",
            "insurer_uzovi",
            "status",
            "stage",
            "progress_percent",
            "attempts",
            "groups_total",
            "files_total",
            "files_done",
            "client_count",
            "line_count",
            "credit_line_count",
            "visit_count",
            "unpriced_count",
            "total_amount",
            "error",
            "requested_by",
            "requested_at",
            "started_at",
            "finished_at",
            "finalised_by",
            "finalised_at",
            "files",
        ]


class ProblemOutput(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    link = serializers.CharField()
    blocking = serializers.BooleanField()


class PreflightOutput(serializers.Serializer):
    can_finalise = serializers.BooleanField()
    checked_at = serializers.DateTimeField(
        allow_null=True, help_text="When the list was made; null while a fresh check runs."
    )
    problems = ProblemOutput(many=True)


class ReturnFileInput(serializers.Serializer):
    file = serializers.FileField(help_text="The insurer's return message (Vektis AW320).")


class RejectionReasonOutput(serializers.Serializer):
    code = serializers.CharField(help_text="Return code (COD954)")
    text = serializers.CharField()


class RejectionOutput(serializers.Serializer):
    id = serializers.UUIDField(source="rejection.public_id")
    reference = serializers.CharField(source="rejection.reference")
    record_number = serializers.IntegerField(source="rejection.record_number")
    client = serializers.UUIDField(source="rejection.line.client.public_id")
    client_name = serializers.CharField(source="rejection.line.client.full_name")
    service_code = serializers.CharField(source="rejection.line.service_code")
    period = serializers.DateField(source="rejection.line.period")
    service_date = serializers.DateField(
        source="rejection.line.service_date",
        allow_null=True,
        help_text="The day of care of the rejected record; null for a month record made "
        "before records were per day.",
    )
    amount = serializers.DecimalField(
        source="rejection.line.amount", max_digits=12, decimal_places=2
    )
    status = serializers.CharField(source="rejection.status")
    reasons = serializers.SerializerMethodField()

    def get_reasons(self, row: Any) -> list[dict]:
        return [{"code": code, "text": text} for code, text in row.reasons]


class ReturnFileOutput(serializers.Serializer):
    filename = serializers.CharField()
    record_count = serializers.IntegerField()
    rejected_count = serializers.IntegerField()


class InsurerOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = Insurer
        fields = ["id", "name", "uzovi"]


class InsurerInput(serializers.Serializer):
    """Shape only: the UZOVI format and uniqueness are checked by the service (400)."""

    name = serializers.CharField(max_length=120)
    uzovi = serializers.CharField(max_length=4)


class CareServiceOutput(serializers.ModelSerializer):
    class Meta:
        model = CareService
        fields = ["id", "code", "name", "is_billable", "is_example"]


class CareServiceInput(serializers.Serializer):
    code = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=120)
    is_billable = serializers.BooleanField(default=True)


class TariffOutput(serializers.ModelSerializer):
    service_code = serializers.CharField(source="service.code", read_only=True)
    service_name = serializers.CharField(source="service.name", read_only=True)
    set_by = serializers.CharField(source="set_by.username", read_only=True, default=None)

    class Meta:
        model = Tariff
        fields = [
            "service_code",
            "service_name",
            "hourly_rate",
            "valid_from",
            "valid_until",
            "set_by",
            "updated_at",
        ]


class ContractOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    insurer = InsurerOutput(read_only=True)
    tariffs = TariffOutput(many=True, read_only=True)

    class Meta:
        model = Contract
        fields = ["id", "insurer", "year", "reference", "tariffs"]


class ContractInput(serializers.Serializer):
    insurer_uzovi = serializers.CharField(max_length=4)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    reference = serializers.CharField(max_length=60, allow_blank=True, required=False)


class TariffInput(serializers.Serializer):
    """Set the hourly tariff of one service in the contract from a date: the tariff in force
    on that day ends the day before (see services.tariff_set)."""

    service_code = serializers.CharField(max_length=20)
    hourly_rate = serializers.DecimalField(max_digits=8, decimal_places=2)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Empty: until the next tariff starts, or until further notice.",
    )
