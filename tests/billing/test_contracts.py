"""Contracts and tariffs keep who made them: the actor the services take is recorded, whichever
way they are called (page, Django admin, service)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from scheduling.billing import services
from scheduling.billing.models import Contract, Tariff
from tests.factories import AdminFactory, BackOfficeFactory, ContractFactory

pytestmark = pytest.mark.django_db


def test_a_contract_added_on_the_page_records_who_added_it(
    client, access_world, billing_world
) -> None:
    # given
    client.force_login(access_world.back_office)
    # when
    response = client.post(
        reverse("billing:contract-create"),
        {"insurer": billing_world.zilveren.uzovi, "year": "2027", "reference": "C-2027"},
    )
    # then
    assert response.status_code == 302
    contract = Contract.objects.get(insurer=billing_world.zilveren, year=2027)
    assert contract.created_by == access_world.back_office


def test_a_refused_contract_records_nothing(access_world, billing_world) -> None:
    # given: the 2026 contract exists (billing_world)
    existing = Contract.objects.get(insurer=billing_world.zilveren, year=2026)
    message = services.CONTRACT_EXISTS.format(insurer=billing_world.zilveren.name, year=2026)
    # when / then
    with pytest.raises(ValidationError, match=re.escape(message)):
        services.contract_create(
            insurer=billing_world.zilveren, year=2026, actor=access_world.back_office
        )
    existing.refresh_from_db()
    assert existing.created_by is None  # made by the factory, not by this refused call


def test_a_tariff_keeps_who_set_its_current_rate(client, access_world, billing_world) -> None:
    # given
    contract = ContractFactory(insurer=billing_world.zilveren, year=2027)
    colleague = BackOfficeFactory()
    client.force_login(access_world.back_office)
    # when: one back-office worker sets the rate on the page, a colleague changes it later
    response = client.post(
        contract.get_absolute_url(),
        {"service": billing_world.nursing.pk, "hourly_rate": "80.00", "valid_from": "2027-01-01"},
    )
    first = Tariff.objects.get(contract=contract, service=billing_world.nursing)
    first_by = first.set_by
    services.tariff_set(
        contract=contract,
        service=billing_world.nursing,
        hourly_rate=Decimal("82.50"),
        valid_from=dt.date(2027, 1, 1),
        actor=colleague,
    )
    # then: still one tariff (the same start: a correction of the rate), with the new rate and
    # its setter
    assert response.status_code == 302
    assert first_by == access_world.back_office
    tariff = Tariff.objects.get(contract=contract, service=billing_world.nursing)
    assert (tariff.pk, tariff.hourly_rate, tariff.set_by) == (
        first.pk,
        Decimal("82.50"),
        colleague,
    )


def test_a_refused_rate_leaves_the_setter_as_it_was(access_world, billing_world) -> None:
    # given
    contract = ContractFactory(insurer=billing_world.zilveren, year=2027)
    services.tariff_set(
        contract=contract,
        service=billing_world.nursing,
        hourly_rate=Decimal("80.00"),
        valid_from=dt.date(2027, 1, 1),
        actor=access_world.back_office,
    )
    # when / then
    with pytest.raises(ValidationError, match=re.escape(str(services.TARIFF_ZERO_OR_NEGATIVE))):
        services.tariff_set(
            contract=contract,
            service=billing_world.nursing,
            hourly_rate=Decimal("0"),
            valid_from=dt.date(2027, 1, 1),
            actor=BackOfficeFactory(),
        )
    tariff = Tariff.objects.get(contract=contract, service=billing_world.nursing)
    assert (tariff.hourly_rate, tariff.set_by) == (Decimal("80.00"), access_world.back_office)


def test_the_admin_records_the_superuser_who_adds_a_contract_or_sets_a_rate(
    client, billing_world
) -> None:
    # given
    superuser = AdminFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    tariff = Tariff.objects.get(
        contract__insurer=billing_world.zilveren, contract__year=2026, service=billing_world.nursing
    )
    inline = {"tariffs-TOTAL_FORMS": "0", "tariffs-INITIAL_FORMS": "0"}  # as the browser sends
    # when
    added = client.post(
        reverse("admin:billing_contract_add"),
        {"insurer": billing_world.zilveren.pk, "year": "2028", "reference": "", **inline},
    )
    changed = client.post(
        reverse("admin:billing_tariff_change", args=[tariff.pk]), {"hourly_rate": "79.00"}
    )
    # then
    assert (added.status_code, changed.status_code) == (302, 302)
    assert Contract.objects.get(insurer=billing_world.zilveren, year=2028).created_by == superuser
    tariff.refresh_from_db()
    assert (tariff.hourly_rate, tariff.set_by) == (Decimal("79.00"), superuser)
