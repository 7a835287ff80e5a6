"""Demo billing data: a contract per demo insurer for last year and this year, with an hourly
tariff for each billable service. The tariffs are round EXAMPLE figures, not real contract
prices, and the service codes are the scheduling demo's example codes. This year's rates change
on 1 July (insurers change rates during a year too), so the contract page shows a history."""

import datetime as dt
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
MID_YEAR_RISE = Decimal("1.50")


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
                if contract.tariffs.filter(service=service).exists():
                    continue
                rate = EXAMPLE_RATES.get(service.code, DEFAULT_RATE)
                july = dt.date(contract_year, 7, 1)
                changes = contract_year == year
                Tariff.objects.create(
                    contract=contract,
                    service=service,
                    hourly_rate=rate,
                    valid_from=dt.date(contract_year, 1, 1),
                    valid_until=july - dt.timedelta(days=1) if changes else None,
                )
                created += 1
                if changes:
                    Tariff.objects.create(
                        contract=contract,
                        service=service,
                        hourly_rate=rate + MID_YEAR_RISE,
                        valid_from=july,
                    )
                    created += 1
    if stdout is not None:
        stdout.write(f"billing: {created} example tariffs added")
