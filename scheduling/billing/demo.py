"""Demo billing data: a contract per demo insurer for last year and this year, with an hourly
tariff for each billable service. The tariffs are round EXAMPLE figures, not real contract
prices, and the service codes are the scheduling demo's example codes."""

from decimal import Decimal
from typing import Any

from django.utils import timezone

from clients.models import Insurer
from scheduling.billing.models import Contract, Tariff
from scheduling.models import CareService

# Example hourly rates per example service code; other billable services get DEFAULT_RATE.
EXAMPLE_RATES = {
    "EX-VP": Decimal("78.35"),
    "EX-PV": Decimal("60.10"),
    "EX-GV": Decimal("96.40"),
    "EX-IN": Decimal("80.25"),
}
DEFAULT_RATE = Decimal("70.00")


def load(stdout: Any = None) -> None:
    """Idempotent: existing contracts and tariffs are left as they are."""
    year = timezone.localdate().year
    services = list(CareService.objects.filter(is_billable=True))
    created = 0
    for insurer in Insurer.objects.all():
        for contract_year in (year - 1, year):
            contract, _ = Contract.objects.get_or_create(
                insurer=insurer,
                year=contract_year,
                defaults={"reference": f"EXAMPLE-{insurer.uzovi}-{contract_year}"},
            )
            for service in services:
                _, made = Tariff.objects.get_or_create(
                    contract=contract,
                    service=service,
                    defaults={"hourly_rate": EXAMPLE_RATES.get(service.code, DEFAULT_RATE)},
                )
                created += made
    if stdout is not None:
        stdout.write(f"billing: {created} example tariffs added")
