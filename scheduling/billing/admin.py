"""Django admin (superusers only): read-mostly views for support; writes go through pages."""

from django.contrib import admin

from scheduling.billing.models import BillingRun, Contract, RunFile, Tariff


class TariffInline(admin.TabularInline):
    model = Tariff
    extra = 0


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["insurer", "year", "reference"]
    list_filter = ["year"]
    inlines = [TariffInline]


@admin.register(BillingRun)
class BillingRunAdmin(admin.ModelAdmin):
    list_display = ["period", "insurer", "status", "line_count", "total_amount", "finalised_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in BillingRun._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(RunFile)
class RunFileAdmin(admin.ModelAdmin):
    list_display = ["filename", "run", "kind", "size", "sha256"]
    readonly_fields = [f.name for f in RunFile._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
