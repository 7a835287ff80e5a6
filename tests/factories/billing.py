"""Factories and helpers for billing tests: contracts, tariffs and logged visits."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory

from scheduling.billing.models import Contract, Tariff
from tests.factories.clients import InsurerFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract
        django_get_or_create = ["insurer", "year"]

    insurer = factory.SubFactory(InsurerFactory)
    year = 2026
    reference = factory.Sequence(lambda n: f"C-{n}")


class TariffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tariff
        django_get_or_create = ["contract", "service", "valid_from"]

    contract = factory.SubFactory(ContractFactory)
    service = None
    hourly_rate = Decimal("78.35")
    # The contract's whole year unless told otherwise.
    valid_from = factory.LazyAttribute(lambda t: dt.date(t.contract.year, 1, 1))


def billed_visit(
    client_record: object,
    when: dt.datetime | dt.date,
    services: dict[object, int],
    *,
    status: str = "done",
    corrects: object = None,
) -> object:
    """A logged visit with minutes per service, written directly (no scheduling services).

    `when` is a local date (10:00 that day) or a datetime; `services` maps CareService to
    minutes.
    """
    from scheduling.models import Visit, VisitService

    if not isinstance(when, dt.datetime):
        when = dt.datetime.combine(when, dt.time(10), tzinfo=AMSTERDAM)
    minutes = max(5, sum(services.values()) or 5)
    visit = Visit.objects.create(
        client=client_record,
        team=client_record.team,
        starts_at=when,
        ends_at=when + dt.timedelta(minutes=minutes),
        planned_minutes=minutes,
        status=status,
        logged_minutes=sum(services.values()) if status == "done" else None,
        logged_at=when + dt.timedelta(minutes=minutes) if status == "done" else None,
        corrects=corrects,
    )
    VisitService.objects.bulk_create(
        [VisitService(visit=visit, service=s, minutes=m) for s, m in services.items()]
    )
    return visit
