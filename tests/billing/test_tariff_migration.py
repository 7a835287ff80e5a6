"""Migration billing/0010 gives existing tariffs validity dates, and goes back without throwing
a rate away (issue 19)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import CareServiceFactory, InsurerFactory

BEFORE = [("billing", "0009_credit_note")]
AFTER = [("billing", "0010_tariff_validity_dates")]


def _migrate(targets: list[tuple[str, str]]):  # noqa: ANN202
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_tariffs_start_on_their_contracts_first_day_and_the_way_back_keeps_rates() -> None:
    # (insurer and service with today's models: only billing goes back and forth)
    insurer, service = InsurerFactory(uzovi="3311"), CareServiceFactory(code="1001")
    try:
        # given a contract's tariff stored the old way (one per contract and service)
        apps = _migrate(BEFORE)
        contract = apps.get_model("billing", "Contract").objects.create(
            insurer_id=insurer.pk, year=2025
        )
        apps.get_model("billing", "Tariff").objects.create(
            contract=contract, service_id=service.pk, hourly_rate=Decimal("75.00")
        )

        # when the migration runs
        apps = _migrate(AFTER)

        # then it is valid from 1 January of the contract's year, until further notice
        tariff = apps.get_model("billing", "Tariff")
        assert list(tariff.objects.values_list("valid_from", "valid_until", "hourly_rate")) == [
            (dt.date(2025, 1, 1), None, Decimal("75.00"))
        ]

        # and with a rate history, going back stops and names the contract
        tariff.objects.filter(contract_id=contract.pk).update(valid_until=dt.date(2025, 6, 30))
        tariff.objects.create(
            contract_id=contract.pk,
            service_id=service.pk,
            hourly_rate=Decimal("77.00"),
            valid_from=dt.date(2025, 7, 1),
        )
        with pytest.raises(RuntimeError, match="2025: 2 tariffs for 1001"):
            _migrate(BEFORE)
        assert tariff.objects.count() == 2

        # and once one is gone, it goes back
        tariff.objects.filter(valid_from=dt.date(2025, 7, 1)).delete()
        apps = _migrate(BEFORE)
        assert apps.get_model("billing", "Tariff").objects.count() == 1
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
