"""Billing in the Django admin (superusers only): contracts and tariffs are configuration and
save through `scheduling.billing.services` (one contract per insurer and year, a tariff above
zero for a billable service); runs and their files are only shown, without the pre-flight
findings, errors or files themselves (they name clients)."""

from typing import Any, cast

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from buurtzorg.admin import ReadOnlyAdmin, ReadOnlyInline, ServiceAdmin
from scheduling.billing.models import BillingRun, Contract, RunFile, Tariff
from scheduling.billing.services import contract_create, tariff_set
from teams.models import User


class TariffInline(ReadOnlyInline):
    model = Tariff
    fields = ["service", "hourly_rate", "valid_from", "valid_until", "set_by"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Tariff]:
        return super().get_queryset(request).select_related("service", "set_by")


@admin.register(Contract)
class ContractAdmin(ServiceAdmin):
    """Added through `contract_create`; nothing of a contract changes after that but its
    tariffs (see Tariffs)."""

    fields = ["insurer", "year", "reference"]
    list_display = ["insurer", "year", "reference", "created_by"]
    list_filter = ["year"]
    list_select_related = ["insurer", "created_by"]
    inlines = [TariffInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def service_save(
        self, request: HttpRequest, obj: Any, data: dict[str, Any], change: bool
    ) -> Contract:
        return contract_create(
            insurer=data["insurer"],
            year=data["year"],
            reference=data.get("reference", ""),
            actor=cast(User, request.user),  # the admin site lets only signed-in staff in
        )


@admin.register(Tariff)
class TariffAdmin(ServiceAdmin):
    """Set through `tariff_set`: on change only the rate and the end can be edited (a new
    rate from another day is a new tariff)."""

    fields = ["contract", "service", "hourly_rate", "valid_from", "valid_until"]
    list_display = [
        "contract",
        "service",
        "hourly_rate",
        "valid_from",
        "valid_until",
        "set_by",
        "updated_at",
    ]
    list_filter = ["contract__year"]
    list_select_related = ["contract__insurer", "service", "set_by"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["contract", "service", "valid_from"] if obj is not None else []

    def service_save(
        self, request: HttpRequest, obj: Any, data: dict[str, Any], change: bool
    ) -> Tariff:
        return tariff_set(
            contract=obj.contract if change else data["contract"],
            service=obj.service if change else data["service"],
            hourly_rate=data["hourly_rate"],
            valid_from=obj.valid_from if change else data["valid_from"],
            valid_until=data.get("valid_until"),
            actor=cast(User, request.user),  # the admin site lets only signed-in staff in
        )


@admin.register(BillingRun)
class BillingRunAdmin(ReadOnlyAdmin):
    list_display = ["period", "insurer", "status", "line_count", "total_amount", "finalised_at"]
    list_filter = ["status"]
    list_select_related = ["insurer"]
    fields = [
        "period",
        "insurer",
        "status",
        "stage",
        "requested_by",
        "requested_at",
        "started_at",
        "finished_at",
        "finalised_by",
        "finalised_at",
        "attempts",
        "visit_count",
        "client_count",
        "line_count",
        "credit_line_count",
        "unpriced_count",
        "total_amount",
        "summary",
    ]


@admin.register(RunFile)
class RunFileAdmin(ReadOnlyAdmin):
    list_display = ["filename", "run", "kind", "size", "sha256"]
    list_select_related = ["run__insurer", "insurer"]
    fields = [
        "run",
        "insurer",
        "kind",
        "filename",
        "content_type",
        "size",
        "sha256",
        "invoice_number",
        "total_amount",
    ]
